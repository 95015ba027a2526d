import { Client } from 'pg';

/** Set by the jest global setup: the server's URL, or why no test can reach one. */
export const POSTGRES_VARIABLE = 'STRATA_TEST_POSTGRES';

/** The server tests use: `DATABASE_URL`, else the machine's own on 127.0.0.1:5432. */
export const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** What the probe found: a URL to create test databases through, or the reason there is none. */
export type PostgresState = { readonly url: string } | { readonly skipped: string };

/** Connects once (3 s at most) to the server tests would use. */
export async function probePostgres(env: NodeJS.ProcessEnv = process.env): Promise<PostgresState> {
  if (env['STRATA_SKIP_POSTGRES'] === '1') return { skipped: 'STRATA_SKIP_POSTGRES=1' };
  const url = env['DATABASE_URL']?.trim() || DEFAULT_TEST_POSTGRES_URL;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { url };
  } catch (error) {
    return { skipped: `no PostgreSQL server answered at ${redact(url)} (${error instanceof Error ? error.message : String(error)})` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
