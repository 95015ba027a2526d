import { writeFileSync } from 'node:fs';
import { spawnTrackedNode } from '../../src/processes/tracked-children';

// Run by tracked-children.int.spec.ts in a jest of its own: a test that spawns a long-lived
// child, says which, and times out without cleaning up.
it('spawns a child, then times out without cleaning up', async () => {
  const child = spawnTrackedNode(['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
  writeFileSync(process.env.STRATA_TEST_PID_FILE ?? '', String(child.pid));
  await new Promise(() => undefined);
}, 2_000);
