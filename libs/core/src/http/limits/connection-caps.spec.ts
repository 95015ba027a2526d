import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import fastify, { type FastifyInstance } from 'fastify';
import { applyHttpLimits, fastifyLimitOptions } from './apply-http-limits';
import { DEFAULT_HTTP_LIMITS } from './http-limits';

/** A connection and everything the server sent on it, until it answered (or closed it). */
async function open(port: number, sockets: Socket[]): Promise<{ send(): Promise<string> }> {
  const socket = connect({ port, host: '127.0.0.1' });
  sockets.push(socket);
  let text = '';
  const answered = new Promise<string>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (/\r\n\r\n[\s\S]*(\}|ok)$/.test(text)) resolve(text);
    });
    socket.on('close', () => resolve(text));
  });
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  return {
    send: () => {
      if (!socket.destroyed) socket.write('GET / HTTP/1.1\r\nHost: test\r\n\r\n');
      return answered;
    },
  };
}

const statusLine = (text: string): string => text.split('\r\n')[0] ?? '';

describe('connection caps', () => {
  let app: FastifyInstance;
  let port: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const limits = { ...DEFAULT_HTTP_LIMITS, maxConnections: 4, maxConnectionsPerAddress: 4 };
    app = fastify(fastifyLimitOptions(limits));
    applyHttpLimits(app, limits);
    app.get('/', async (_request, reply) => reply.type('text/plain').send('ok'));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.destroy());
    await app.close();
  });

  it('serves up to the cap, answers the next connection 503 problem+json, and closes unanswered past a quarter more', async () => {
    // One at a time, so the server counts them in this order; each stays open (kept alive).
    for (let i = 0; i < 4; i += 1) expect(statusLine(await (await open(port, sockets)).send())).toBe('HTTP/1.1 200 OK');
    const fifth = await open(port, sockets);
    // maxConnections 4 + a quarter (1) = 5 held at once; Node closes a sixth at accept, unanswered.
    const sixth = await open(port, sockets);
    expect(await sixth.send()).toBe('');
    const refused = await fifth.send();
    expect(statusLine(refused)).toBe('HTTP/1.1 503 Service Unavailable');
    expect(refused).toMatch(/content-type: application\/problem\+json/i);
    expect(refused).toMatch(/retry-after: 1/i);
    expect(refused).toMatch(/x-content-type-options: nosniff/i);
    expect(JSON.parse(refused.slice(refused.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 503, code: 'TOO_MANY_CONNECTIONS', instance: '/' });
  });
});
