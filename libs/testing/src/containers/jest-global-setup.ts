import type { Config } from 'jest';
import { setUpContainers } from './global-setup';

/** Referenced by jest.config.ts; jest passes the run's path pattern, so unrelated runs start nothing. */
export default async function globalSetup(globalConfig: { testPathPattern?: string } & Config): Promise<void> {
  await setUpContainers(globalConfig.testPathPattern || undefined);
}
