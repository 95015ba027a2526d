// The consuming service of figure 7b, in a process of its own as a second service would be, so
// the producer's event loop is not shared with it. Forked by bench/figures/integration.ts:
//   integration-consumer.ts <nats|rabbitmq> <scope> <sqlite file>
// It tells its parent `ready` once its inbox consumes, then `applied` batches of [id, time], with
// time as `performance.timeOrigin + performance.now()` (comparable across processes), until `stop`.
import { AggregateHandle, type Decider, type Event } from '@strata/core';
import { InboxConsumer, InboxParking, InboxProcessor, newLeaseOwner } from '@strata/core/adapter';
import { SqliteDocumentStore, SqliteEventStore } from '@strata/sqlite';
import { natsBroker, rabbitMqBroker, TickV1 } from './integration-brokers';

const seen: Decider<{ id: string; n: number }, Event<'Seen', { id: string }>, null> = {
  category: 'Seen',
  initialState: () => null,
  evolve: () => null,
  decide: (command) => [{ type: 'Seen', data: { id: command.id } }],
};
const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

async function main(): Promise<void> {
  const [brokerId, scope, filename] = process.argv.slice(2) as [string, string, string];
  const broker = brokerId === 'rabbitmq' ? rabbitMqBroker(process.env['STRATA_RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672') : natsBroker(process.env['STRATA_NATS_URL'] ?? 'nats://127.0.0.1:4222');
  const events = SqliteEventStore.open({ filename, synchronous: 'NORMAL' });
  const documents = SqliteDocumentStore.open({ filename, synchronous: 'NORMAL' });
  const transport = await broker.transport(scope);
  const aggregate = new AggregateHandle(events, seen);
  let applied: [string, number][] = [];
  const handler = {
    handle: async (message: { data: { id: string; n: number } }, ctx: { command(index?: number): object }) => {
      await aggregate.handle(message.data.id, message.data, ctx.command());
      applied.push([message.data.id, performance.timeOrigin + performance.now()]);
    },
  };
  const options = { name: `${scope}-lag`, events: [TickV1] };
  const processor = new InboxProcessor(options, handler, new InboxParking(documents, options.name), { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 }, silent);
  const consumer = new InboxConsumer(options, processor, transport, documents, { leaseTtlMs: 15_000, pendingMaxAgeMs: 0 }, newLeaseOwner(), silent);
  consumer.start();
  while (!(await consumer.status(0)).consuming) await new Promise((resolve) => setTimeout(resolve, 20));
  process.send?.({ kind: 'ready' });
  const flush = setInterval(() => {
    if (applied.length === 0) return;
    process.send?.({ kind: 'applied', applied });
    applied = [];
  }, 50);
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  clearInterval(flush);
  await consumer.stop();
  await transport.close();
  await Promise.all([events.close(), documents.close()]);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
