import { spawnTrackedNode } from '../../src/processes/tracked-children';

// Run by tracked-children.int.spec.ts as a parent that is then SIGKILLed: it spawns a
// long-lived child, prints its pid, and waits.
const child = spawnTrackedNode(['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
process.stdout.write(`child ${child.pid}\n`);
setInterval(() => undefined, 1000);
