export { probePostgres, redact, POSTGRES_VARIABLE, DEFAULT_TEST_POSTGRES_URL, type PostgresState } from './postgres-probe';
export { describeWithPostgres, postgresState, withDatabase, type TestDatabase } from './postgres-suites';
