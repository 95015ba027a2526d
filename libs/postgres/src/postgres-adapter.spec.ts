import { postgresOptionsFromEnv } from './postgres-adapter';

describe('postgresOptionsFromEnv', () => {
  it('defaults to the PG* variables, schema strata and 10 connections', () => {
    expect(postgresOptionsFromEnv({})).toEqual({ schema: 'strata', poolSize: 10 });
  });

  it('reads the URL, the schema and the pool size', () => {
    const env = { DATABASE_URL: ' postgres://app:secret@db:5432/bank ', STRATA_POSTGRES_SCHEMA: 'bank_v2', STRATA_POSTGRES_POOL_SIZE: '25' };
    expect(postgresOptionsFromEnv(env)).toEqual({ connectionString: 'postgres://app:secret@db:5432/bank', schema: 'bank_v2', poolSize: 25 });
  });

  it.each([
    ['DATABASE_URL', 'mysql://db/bank', "DATABASE_URL: 'mysql://db/bank' is not a PostgreSQL URL"],
    ['DATABASE_URL', 'postgres://app:secret@', "DATABASE_URL: 'postgres://app:***@' is not a PostgreSQL URL"],
    ['DATABASE_URL', 'not a url', "DATABASE_URL: 'not a url' is not a PostgreSQL URL"],
    ['STRATA_POSTGRES_SCHEMA', 'Bank-Schema', "STRATA_POSTGRES_SCHEMA: 'Bank-Schema' is not a schema name"],
    ['STRATA_POSTGRES_POOL_SIZE', '0', "STRATA_POSTGRES_POOL_SIZE: '0' is not a pool size"],
    ['STRATA_POSTGRES_POOL_SIZE', 'ten', "STRATA_POSTGRES_POOL_SIZE: 'ten' is not a pool size"],
  ])('refuses %s=%s in one line naming the variable', (variable, value, message) => {
    const error = (() => {
      try {
        postgresOptionsFromEnv({ [variable]: value });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected a configuration error');
    })();
    expect(error).toMatchObject({ code: 'INVALID_CONFIGURATION', variable });
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('secret');
  });
});
