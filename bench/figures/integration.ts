// Figure 7: integration events over the NATS JetStream server this machine runs.
// 7a: how fast the outbox publisher drains the log to JetStream, against the `nats` client
//     publishing the same messages one at a time with the same message ids, acked each (the
//     baseline: what the publisher must do at the least, without reading the log or checkpoints).
// 7b: end-to-end lag from an append in the producer to its command committed in the consumer,
//     while the producer appends 1,000 events a second.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AggregateHandle, integrationEvent, publish, type Decider, type Event, type IntegrationMessage, type RecordedEvent } from '@strata/core';
import { encodeMessage, InboxConsumer, InboxParking, InboxProcessor, IntegrationPublisher, newLeaseOwner, publisherSubscriptionName } from '@strata/core/adapter';
import { natsSettingsFrom, NatsTransport } from '@strata/nats';
import { SqliteDocumentStore, SqliteEventStore } from '@strata/sqlite';
import { IsInt, IsString } from 'class-validator';
import { connect, headers as natsHeaders } from 'nats';
import { ceilingRow, infoRow, percentile, ratioRow, type BenchRow, type Figure } from '../harness';

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
const RATE = 1_000;

class Tick {
  @IsString() id!: string;
  @IsInt() n!: number;
}
const TickV1 = integrationEvent('bench.tick', 1, Tick);
type Ticked = Event<'Ticked', { id: string; n: number }>;
const mapper = { map: (event: RecordedEvent<Ticked>) => publish(TickV1, { id: event.data.id, n: event.data.n }) };
const seen: Decider<{ id: string; n: number }, Event<'Seen', { id: string }>, null> = {
  category: 'Seen',
  initialState: () => null,
  evolve: () => null,
  decide: (command) => [{ type: 'Seen', data: { id: command.id } }],
};

function scopedSettings(url: string) {
  const scope = randomUUID().slice(0, 8);
  return natsSettingsFrom({ STRATA_NATS_URL: url, STRATA_NATS_STREAM: `BENCH_${scope}`, STRATA_NATS_SUBJECT_PREFIX: `bench${scope}` });
}

async function appendTicks(events: SqliteEventStore, count: number): Promise<void> {
  for (let n = 0; n < count; n += 100) {
    const batch = Array.from({ length: Math.min(100, count - n) }, (_, i) => ({ type: 'Ticked', data: { id: randomUUID(), n: n + i } }));
    await events.appendToStream(`Tick-${n % 50}`, batch, { expectedRevision: 'any' });
  }
}

/** 7a: drains `count` events through the publisher; and the same messages through the bare client. */
async function publishThroughput(url: string, workDir: string, count: number): Promise<{ strata: number; baseline: number }> {
  const filename = join(workDir, 'publish.db');
  const events = SqliteEventStore.open({ filename, synchronous: 'NORMAL' });
  const documents = SqliteDocumentStore.open({ filename, synchronous: 'NORMAL' });
  await appendTicks(events, count);
  const recorded = (await events.readAll({ maxCount: count })).events;

  const settings = scopedSettings(url);
  const transport = await NatsTransport.connect(settings);
  const publisher = new IntegrationPublisher('bench', 'bench', mapper, ['Ticked'], transport, events, documents, { batchSize: 500, pollIntervalMs: 50, leaseTtlMs: 15_000 }, newLeaseOwner(), silent);
  const head = await events.headPosition();
  const started = performance.now();
  publisher.start();
  while ((await documents.getCheckpoint(publisherSubscriptionName('bench'))) !== head) await sleep(5);
  const strata = (count * 1000) / (performance.now() - started);
  await publisher.stop();
  await transport.deleteStream();
  await transport.close();

  // The baseline: the same messages, ids and subjects, one awaited publish each, no log, no checkpoint.
  const baselineSettings = scopedSettings(url);
  const stream = await NatsTransport.connect(baselineSettings);
  await stream.publish({ id: randomUUID(), type: 'bench.warmup', version: 1, source: 'bench', key: 'k', occurredAt: new Date().toISOString(), data: {}, headers: {} });
  const connection = await connect({ servers: url });
  const jetstream = connection.jetstream();
  const messages: IntegrationMessage[] = recorded.map((event) => ({ id: event.id, type: 'bench.tick', version: 1, source: 'bench', key: event.streamId, occurredAt: event.createdAt.toISOString(), data: event.data, headers: {} }));
  const baselineStarted = performance.now();
  for (const message of messages) {
    const headers = natsHeaders();
    headers.set('Strata-Key', message.key);
    await jetstream.publish(stream.subjectOf(message), encodeMessage(message), { msgID: message.id, headers });
  }
  const baseline = (count * 1000) / (performance.now() - baselineStarted);
  await connection.close();
  await stream.deleteStream();
  await stream.close();
  await Promise.all([events.close(), documents.close()]);
  return { strata, baseline };
}

/** 7b: producer appends at RATE/s; each lag is append-acknowledged to command-committed in the consumer. */
async function endToEndLag(url: string, workDir: string, seconds: number): Promise<{ lags: number[]; rate: number }> {
  const producerFile = join(workDir, 'producer.db');
  const consumerFile = join(workDir, 'consumer.db');
  const events = SqliteEventStore.open({ filename: producerFile, synchronous: 'NORMAL' });
  const documents = SqliteDocumentStore.open({ filename: producerFile, synchronous: 'NORMAL' });
  const consumerEvents = SqliteEventStore.open({ filename: consumerFile, synchronous: 'NORMAL' });
  const consumerDocuments = SqliteDocumentStore.open({ filename: consumerFile, synchronous: 'NORMAL' });
  const settings = scopedSettings(url);
  const [producerTransport, consumerTransport] = await Promise.all([NatsTransport.connect(settings), NatsTransport.connect(settings)]);
  const publisher = new IntegrationPublisher('bench', 'bench', mapper, ['Ticked'], producerTransport, events, documents, { batchSize: 500, pollIntervalMs: 50, leaseTtlMs: 15_000 }, newLeaseOwner(), silent);

  const appendedAt = new Map<string, number>();
  const lags: number[] = [];
  const aggregate = new AggregateHandle(consumerEvents, seen);
  const handler = {
    handle: async (message: { data: { id: string; n: number } }, ctx: { command(index?: number): object }) => {
      await aggregate.handle(message.data.id, message.data, ctx.command());
      const at = appendedAt.get(message.data.id);
      if (at !== undefined) lags.push(performance.now() - at);
    },
  };
  const options = { name: 'bench', events: [TickV1] };
  const processor = new InboxProcessor(options, handler, new InboxParking(consumerDocuments, 'bench'), { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 }, silent);
  const consumer = new InboxConsumer(options, processor, consumerTransport, consumerDocuments, { leaseTtlMs: 15_000 }, newLeaseOwner(), silent);
  publisher.start();
  consumer.start();
  await sleep(500);

  const total = RATE * seconds;
  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * RATE) / 1000));
    for (; sent < due; sent++) {
      const id = randomUUID();
      await events.appendToStream(`Tick-${sent % 100}`, [{ type: 'Ticked', data: { id, n: sent } }], { expectedRevision: 'any' });
      appendedAt.set(id, performance.now());
    }
    await sleep(1);
  }
  const rate = (total * 1000) / (performance.now() - started);
  const deadline = Date.now() + 60_000;
  while (lags.length < total && Date.now() < deadline) await sleep(10);
  await Promise.all([publisher.stop(), consumer.stop()]);
  await producerTransport.deleteStream();
  await Promise.all([producerTransport.close(), consumerTransport.close()]);
  await Promise.all([events.close(), documents.close(), consumerEvents.close(), consumerDocuments.close()]);
  if (lags.length < total) throw new Error(`the consumer applied ${lags.length} of ${total} messages within 60 s of the last append`);
  return { lags, rate };
}

export const figure: Figure = {
  id: 'integration',
  title: 'integration events over NATS JetStream',
  async run(context): Promise<BenchRow[]> {
    const url = process.env['STRATA_NATS_URL'] ?? 'nats://127.0.0.1:4222';
    const count = context.quick ? 2_000 : 10_000;
    const throughput = await publishThroughput(url, context.workDir, count);
    context.log(`publisher ${Math.round(throughput.strata)} msg/s, bare client ${Math.round(throughput.baseline)} msg/s`);
    const { lags, rate } = await endToEndLag(url, context.workDir, context.quick ? 5 : 15);
    context.log(`${lags.length} events at ${Math.round(rate)}/s; end-to-end lag p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${percentile(lags, 99).toFixed(1)} ms`);
    return [
      ratioRow('7a outbox publish throughput vs bare JetStream publishes', throughput.strata, 'msg/s', throughput.baseline, 0.8),
      infoRow('7b append rate held', rate, 'events/s'),
      infoRow('7b end-to-end lag p50 (append to consumer commit)', percentile(lags, 50), 'ms'),
      ceilingRow('7b end-to-end lag p99 (append to consumer commit)', percentile(lags, 99), 'ms', 250),
    ];
  },
};
