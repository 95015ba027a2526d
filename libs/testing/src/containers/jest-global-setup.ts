import type { Config } from 'jest';
import { POSTGRES_VARIABLE, probePostgres } from '../postgres/postgres-probe';
import { setUpContainers } from './global-setup';

/** Referenced by jest.config.ts; jest passes the run's path pattern, so unrelated runs start nothing. */
export default async function globalSetup(globalConfig: { testPathPattern?: string } & Config): Promise<void> {
  await setUpContainers(globalConfig.testPathPattern || undefined);
  await setUpPostgres();
}

/** Looks once for the PostgreSQL server the PostgreSQL suites use; they read the outcome from the environment. */
async function setUpPostgres(): Promise<void> {
  const state = await probePostgres();
  if ('skipped' in state) process.stdout.write(`\nSkipped the PostgreSQL suites: ${state.skipped}.\n`);
  process.env[POSTGRES_VARIABLE] = JSON.stringify(state);
}
