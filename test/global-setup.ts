import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import setUpContainers from '../libs/testing/src/containers/jest-global-setup';

const root = join(__dirname, '..');

/**
 * Builds the packages and the bank (tsc -b: only what changed since the last build), because the
 * process tests start the compiled bank and CLI, and the consumer test packs the built packages.
 * Then starts the containers the run's suites need, if any.
 */
export default async function globalSetup(globalConfig: Parameters<typeof setUpContainers>[0]): Promise<void> {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`building the packages (tsc -b tsconfig.build.json) failed; fix these errors, then run the tests again:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  await setUpContainers(globalConfig);
}
