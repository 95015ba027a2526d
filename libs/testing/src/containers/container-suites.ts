import type { DistributedStoreUrls } from './distributed-stores';

/** Set by the jest global setup: the containers' URLs, or why they are not running. */
export const CONTAINERS_VARIABLE = 'STRATA_TEST_CONTAINERS';

/** The suites that need the containers; the global setup names them when it skips them. */
export const CONTAINER_SUITES = [
  'libs/eventstoredb/src/kurrentdb-event-store.int.spec.ts',
  'libs/mongodb/src/mongo-document-store.int.spec.ts',
  'apps/bank/test/distributed-projections.int.spec.ts',
  'apps/bank/test/distributed.e2e.spec.ts',
];

/** What the global setup hands the test files. */
export type ContainerState = { readonly urls: DistributedStoreUrls } | { readonly skipped: string };

/** What the global setup decided for this run; a run that never reached it says so. */
export function containerState(): ContainerState {
  const raw = process.env[CONTAINERS_VARIABLE];
  if (raw === undefined) return { skipped: 'the jest global setup did not run, so no containers were started' };
  return JSON.parse(raw) as ContainerState;
}

/** The containers' URLs in a test file, or null when the global setup skipped them. */
export function containerUrls(): DistributedStoreUrls | null {
  const state = containerState();
  return 'urls' in state ? state.urls : null;
}

/**
 * `describe` when the containers run, else `describe.skip` with the reason in its name: the
 * suite is reported as skipped, and why, never run against a stand-in.
 */
export function describeWithContainers(name: string, body: (urls: DistributedStoreUrls) => void): void {
  const state = containerState();
  if ('urls' in state) describe(name, () => body(state.urls));
  else describe.skip(`${name} [skipped: ${state.skipped}]`, () => body({ kurrentdb: 'skipped', mongodb: 'skipped' }));
}
