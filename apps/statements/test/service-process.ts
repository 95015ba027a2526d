import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../bank/test/bank-process';

const root = join(__dirname, '..', '..', '..');
const running = new Set<ChildProcess>();

// Whatever a test left running goes with the test process, even after a failure or a timeout.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A service (the bank or statements) running as its own Node process, compiled, as `npm start` runs it. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
  output(): string;
}

/** Starts `dist/apps/<app>/main.js` (the jest global setup builds it) with `env` on a free port and waits until it answers HTTP. */
export async function startService(app: 'bank' | 'statements', env: Record<string, string>, timeoutMs = 240_000): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, `dist/apps/${app}/main.js`)], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (running.delete(child), resolve(code))));
  const service = { child, url: `http://127.0.0.1:${port}`, exited, output: () => output };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${app} exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    try {
      await fetch(`${service.url}/health/live`, { signal: AbortSignal.timeout(1000) });
      return service;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${app} did not answer within ${timeoutMs} ms:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Kills a service at once, as a crash would, and waits until it is gone. */
export async function crash(service: ServiceProcess): Promise<void> {
  service.child.kill('SIGKILL');
  await service.exited;
}

/** Stops a service as an orchestrator would (SIGTERM), killing it if it lingers. */
export async function stopService(service: ServiceProcess): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), 20_000);
  await service.exited;
  clearTimeout(timer);
}

/** Every service a test file started, stopped: call it from `afterAll`. */
export async function stopAll(): Promise<void> {
  for (const child of [...running]) child.kill('SIGKILL');
  running.clear();
}
