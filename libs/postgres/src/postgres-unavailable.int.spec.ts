import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { toProblemDetails } from '@strata/core/adapter';
import { httpStatusOf } from '@strata/core/adapter';
import { describeWithPostgres } from '@strata/testing/postgres';
import { PostgresDocumentStore } from './documents/postgres-document-store';
import { PostgresEventStore } from './postgres-event-store';

/** A TCP relay to the real server that the test can cut, as a network failure or a server restart would. */
class Relay {
  private readonly sockets = new Set<Socket>();
  private constructor(private readonly server: Server) {}

  static async to(url: string): Promise<{ relay: Relay; url: string }> {
    const target = new URL(url);
    const server = createServer();
    const relay = new Relay(server);
    server.on('connection', (client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        relay.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => relay.sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const relayed = new URL(url);
    relayed.hostname = '127.0.0.1';
    relayed.port = String((server.address() as AddressInfo).port);
    return { relay, url: relayed.toString() };
  }

  /** Refuses new connections and drops the open ones. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

describeWithPostgres('PostgreSQL becoming unreachable while the app runs', (database) => {
  it('answers 503 with EVENT_STORE_UNAVAILABLE and READ_STORE_UNAVAILABLE, naming the variable in the log message', async () => {
    const { relay, url } = await Relay.to(database.url());
    const options = { connectionString: url, schema: database.freshSchema(), poolSize: 2, listen: false };
    const events = await PostgresEventStore.open(options);
    const documents = await PostgresDocumentStore.open(options);
    try {
      await events.appendToStream('Account-1', [{ type: 'Opened', data: {} }]);
      await documents.collection('accounts').insertOne({ _id: 'a1', balance: 0 });
      await relay.cut();
      const appendError = await events.appendToStream('Account-1', [{ type: 'Deposited', data: {} }]).catch((error: unknown) => error);
      const readError = await documents.collection('accounts').findOne({ _id: 'a1' }).catch((error: unknown) => error);
      expect(appendError).toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE' });
      expect(readError).toMatchObject({ code: 'READ_STORE_UNAVAILABLE' });
      expect((appendError as Error).message).toContain('DATABASE_URL');
      expect(httpStatusOf(appendError)).toBe(503);
      expect(toProblemDetails(readError)).toMatchObject({ status: 503, code: 'READ_STORE_UNAVAILABLE' });
    } finally {
      await Promise.all([events.close(), documents.close()]);
    }
  });
});
