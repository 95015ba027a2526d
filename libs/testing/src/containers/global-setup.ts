import { CONTAINER_SUITES, CONTAINERS_VARIABLE, type ContainerState } from './container-suites';
import { detectDockerEngine } from './docker-engine';
import { startDistributedStores, type DistributedStores } from './distributed-stores';

let running: DistributedStores | undefined;

/**
 * Jest global setup: when the run includes a container suite, starts KurrentDB and MongoDB once
 * for the whole run if a Docker engine is reachable; otherwise prints one line naming the
 * skipped suites and why. Test workers inherit the outcome through the environment.
 */
export async function setUpContainers(selectedPattern: string | undefined): Promise<void> {
  const pattern = selectedPattern ? new RegExp(selectedPattern) : null;
  const suites = CONTAINER_SUITES.filter((suite) => pattern === null || pattern.test(suite));
  if (suites.length === 0) return;
  let state: ContainerState;
  if (process.env['STRATA_SKIP_CONTAINERS'] === '1') {
    state = { skipped: 'STRATA_SKIP_CONTAINERS=1' };
  } else {
    const engine = await detectDockerEngine();
    if (engine.reachable) {
      running = await startDistributedStores();
      state = { urls: running.urls };
    } else {
      state = { skipped: `no Docker engine is reachable (${engine.reason})` };
    }
  }
  if ('skipped' in state) {
    process.stdout.write(`\nSkipped the KurrentDB/MongoDB container suites (${suites.join(', ')}): ${state.skipped}.\n`);
  }
  process.env[CONTAINERS_VARIABLE] = JSON.stringify(state);
}

/** Jest global teardown: stops the containers the setup started. */
export async function tearDownContainers(): Promise<void> {
  await running?.stop();
  running = undefined;
}
