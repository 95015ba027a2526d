// HTTP load for the benchmarks: autocannon in a process of its own, so the load generator never
// competes with the app under test for its event loop. `runLoad` spawns this file; run as the
// main module it reads a LoadSpec (JSON) from its argument, fires the requests and prints a
// LoadResult as one JSON line.
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';

/** POSTs of one JSON body, each to `path` with `{id}` replaced by one of `ids`, picked at random. */
export interface LoadSpec {
  /** The app's base URL, e.g. `http://127.0.0.1:34567`. */
  readonly url: string;
  /** e.g. `/accounts/{id}/deposits`. */
  readonly path: string;
  readonly ids: readonly string[];
  readonly body: unknown;
  readonly connections: number;
  readonly seconds: number;
}

/** What one run measured. */
export interface LoadResult {
  /** How long the run fired requests. */
  readonly seconds: number;
  /** The latency of every answer, in ms, so runs can be pooled into exact percentiles. */
  readonly latencies: readonly number[];
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Answers counted per status code, to explain a non-2xx. */
  readonly statuses: Readonly<Record<string, number>>;
}

const RESULT_MARKER = '@@strata-http-load ';

/** Runs `spec` in a child process and returns what it measured; a failing child is an error with its output. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', __filename, JSON.stringify(spec)], {
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const line = stdout.split('\n').find((text) => text.startsWith(RESULT_MARKER));
  if (code !== 0 || line === undefined) throw new Error(`the load generator failed (exit ${code ?? 'signal'}): ${stderr.trim() || stdout.trim()}`);
  return JSON.parse(line.slice(RESULT_MARKER.length)) as LoadResult;
}

async function fire(spec: LoadSpec): Promise<LoadResult> {
  const paths = spec.ids.map((id) => spec.path.replace('{id}', id));
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        pipelining: 1,
        duration: spec.seconds,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(spec.body),
            setupRequest: (request) => ({ ...request, path: paths[Math.floor(Math.random() * paths.length)] ?? '/' }),
          },
        ],
      },
      (error: unknown, done: autocannon.Result) => (error ? reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error })) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  const statuses: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = stats.count ?? 0;
  return { seconds: result.duration, latencies, ok: result['2xx'], non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, statuses };
}

if (require.main === module) {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  fire(spec).then(
    (result) => process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
