import { tearDownContainers } from './global-setup';

/** Referenced by jest.config.ts: stops the containers the global setup started. */
export default async function globalTeardown(): Promise<void> {
  await tearDownContainers();
}
