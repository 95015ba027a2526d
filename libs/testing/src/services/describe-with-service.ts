import { execFileSync } from 'node:child_process';

/** A server a suite needs: where to find it, and what it is, for the skip reason. */
export interface ServiceAddress {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

const PROBE = `
const socket = require('node:net').connect({ host: process.argv[1], port: Number(process.argv[2]) });
socket.setTimeout(3000);
socket.on('connect', () => { socket.destroy(); process.exit(0); });
socket.on('timeout', () => { console.error('no answer within 3 s'); process.exit(1); });
socket.on('error', (error) => { console.error(error.code || error.message); process.exit(1); });
`;

/** Whether a TCP connection to the service opens; the reason when it does not. Synchronous: jest collects suites synchronously. */
export function serviceReachable(service: ServiceAddress): { readonly reachable: true } | { readonly reachable: false; readonly reason: string } {
  try {
    execFileSync(process.execPath, ['-e', PROBE, service.host, String(service.port)], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
    return { reachable: true };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return { reachable: false, reason: `${service.name} is not reachable at ${service.host}:${service.port} (${stderr || 'probe failed'})` };
  }
}

/**
 * `describe` when the service answers, else `describe.skip` with the reason in its name: the
 * suite is reported as skipped, and why, never run against a stand-in.
 */
export function describeWithService(name: string, service: ServiceAddress, body: () => void): void {
  const probe = serviceReachable(service);
  if (probe.reachable) describe(name, body);
  else describe.skip(`${name} [skipped: ${probe.reason}]`, body);
}
