// Figure 7: integration events over the NATS JetStream and RabbitMQ servers this machine runs.
// 7a: how fast the outbox publisher drains the log to the broker, against the official client
//     publishing the same messages with the same message ids and acknowledgements (a JetStream
//     ack, a RabbitMQ confirm) in the same run: once with as many publishes awaiting their acks
//     as the publisher keeps (its keys in parallel), once one at a time.
// 7b: end-to-end lag from an append in the producer to its command committed in the consumer (a
//     process of its own, bench/integration-consumer.ts), while the producer appends 1,000 events a second.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { publish, type Event, type IntegrationMessage, type RecordedEvent } from '@strata/core';
import { IntegrationPublisher, newLeaseOwner, publisherSubscriptionName, type IntegrationTransport } from '@strata/core/adapter';
import { SqliteDocumentStore, SqliteEventStore } from '@strata/sqlite';
import { ceilingRow, infoRow, percentile, ratioRow, type BenchRow, type Figure } from '../harness';
import { natsBroker, rabbitMqBroker, TickV1, type BenchBroker } from '../integration-brokers';

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
const RATE = 1_000;

type Ticked = Event<'Ticked', { id: string; n: number }>;
const mapper = { map: (event: RecordedEvent<Ticked>) => publish(TickV1, { id: event.data.id, n: event.data.n }) };

/** Streams (so keys) the throughput log spreads over, as a service's many aggregates do. */
const KEYS = 50;
/** What the publisher keeps awaiting acks at once, one per key of a batch (up to 256): the pipelined baseline's window. */
const PUBLISHER_IN_FLIGHT = KEYS;
const publisherSettings = { batchSize: 500, pollIntervalMs: 50, leaseTtlMs: 15_000 };

function newScope(): string {
  return `b${randomUUID().slice(0, 8)}`;
}

/** `count` ticks over KEYS streams in turn, one append each, so the log interleaves keys as a service's many aggregates do. */
async function appendTicks(events: SqliteEventStore, count: number): Promise<void> {
  for (let n = 0; n < count; n++) await events.appendToStream(`Tick-${n % KEYS}`, [{ type: 'Ticked', data: { id: randomUUID(), n } }], { expectedRevision: 'any' });
}

/** On RabbitMQ a message no queue is bound for is dropped unwritten: bind one first, so both sides store what they publish. */
async function bindSink(transport: IntegrationTransport, consumer: string): Promise<void> {
  await (await transport.consume({ consumer, types: [TickV1.name], onDelivery: () => Promise.resolve() })).stop();
}

interface Throughput {
  readonly strata: number;
  readonly pipelined: number;
  readonly oneAtATime: number;
}

/** 7a: drains `count` events through the publisher; and the same messages through the bare client, pipelined and one at a time. */
async function publishThroughput(broker: BenchBroker, workDir: string, count: number): Promise<Throughput> {
  const filename = join(workDir, `publish-${broker.id}.db`);
  const events = SqliteEventStore.open({ filename, synchronous: 'NORMAL' });
  const documents = SqliteDocumentStore.open({ filename, synchronous: 'NORMAL' });
  await appendTicks(events, count);
  const recorded = (await events.readAll({ maxCount: count })).events;
  const scopes = [newScope(), newScope(), newScope()] as const;

  const transport = await broker.transport(scopes[0]);
  await bindSink(transport, `${scopes[0]}-sink`);
  const publisher = new IntegrationPublisher('bench', 'bench', mapper, ['Ticked'], transport, events, documents, publisherSettings, newLeaseOwner(), silent);
  const head = await events.headPosition();
  const started = performance.now();
  publisher.start();
  while ((await documents.getCheckpoint(publisherSubscriptionName('bench'))) !== head) await sleep(5);
  const strata = (count * 1000) / (performance.now() - started);
  await publisher.stop();
  await transport.close();

  // The baselines: the same messages, ids, keys and headers, no log, no checkpoint, no span.
  const messages: IntegrationMessage[] = recorded.map((event) => ({ id: event.id, type: TickV1.name, version: 1, source: 'bench', key: event.streamId, occurredAt: event.createdAt.toISOString(), data: event.data, headers: {} }));
  const rates: number[] = [];
  for (const [scope, inFlight] of [[scopes[1], PUBLISHER_IN_FLIGHT], [scopes[2], 1]] as const) {
    const sink = await broker.transport(scope);
    await bindSink(sink, `${scope}-sink`);
    await sink.close();
    rates.push(await broker.bare(scope, messages, inFlight));
  }
  for (const scope of scopes) await broker.cleanup(scope, [`${scope}-sink`]);
  await Promise.all([events.close(), documents.close()]);
  return { strata, pipelined: rates[0] as number, oneAtATime: rates[1] as number };
}

/** Forks the consuming service (bench/integration-consumer.ts) and resolves once its inbox consumes. */
async function forkConsumer(broker: BenchBroker, scope: string, filename: string, onApplied: (applied: [string, number][]) => void): Promise<ChildProcess> {
  const child = fork(join(__dirname, '..', 'integration-consumer.ts'), [broker.id, scope, filename], { execArgv: ['-r', 'ts-node/register'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the consuming process exited (${String(code)}) before it consumed`)));
    child.on('message', (message: { kind: string; applied?: [string, number][] }) => {
      if (message.kind === 'ready') resolve();
      else if (message.applied) onApplied(message.applied);
    });
  });
  return child;
}

/** Milliseconds since the epoch with sub-millisecond precision, comparable across processes. */
function clock(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * 7b: the producer appends at RATE/s while its publisher runs in this process; the consumer is
 * another process, as a second service is. Each lag is append-acknowledged to command-committed.
 */
async function endToEndLag(broker: BenchBroker, workDir: string, seconds: number, log: (line: string) => void): Promise<{ lags: number[]; publishLags: number[]; rate: number }> {
  const producerFile = join(workDir, `producer-${broker.id}.db`);
  const events = SqliteEventStore.open({ filename: producerFile, synchronous: 'NORMAL' });
  const documents = SqliteDocumentStore.open({ filename: producerFile, synchronous: 'NORMAL' });
  const scope = newScope();
  const producerTransport = await broker.transport(scope);
  const appendedAt = new Map<string, number>();
  const lags: number[] = [];
  // The publish half of each lag, append to broker ack, tells the publisher's share from the consumer's.
  const publishLags: number[] = [];
  const timed = Object.assign(Object.create(producerTransport) as IntegrationTransport, {
    publish: async (message: IntegrationMessage) => {
      await producerTransport.publish(message);
      const at = appendedAt.get((message.data as { id: string }).id);
      if (at !== undefined) publishLags.push(clock() - at);
    },
  });
  const publisher = new IntegrationPublisher('bench', 'bench', mapper, ['Ticked'], timed, events, documents, publisherSettings, newLeaseOwner(), silent);
  const consumer = await forkConsumer(broker, scope, join(workDir, `consumer-${broker.id}.db`), (applied) => {
    for (const [id, at] of applied) {
      const appended = appendedAt.get(id);
      if (appended !== undefined) lags.push(at - appended);
    }
  });
  try {
    publisher.start();
    const total = RATE * seconds;
    // How busy the producer's event loop was says whether the lag is the machine's.
    const busyBefore = performance.eventLoopUtilization();
    const started = performance.now();
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) * RATE) / 1000));
      for (; sent < due; sent++) {
        const id = randomUUID();
        await events.appendToStream(`Tick-${sent % 100}`, [{ type: 'Ticked', data: { id, n: sent } }], { expectedRevision: 'any' });
        appendedAt.set(id, clock());
      }
      await sleep(1);
    }
    const ended = performance.now();
    const rate = (total * 1000) / (ended - started);
    const deadline = Date.now() + 60_000;
    while (lags.length < total && Date.now() < deadline) await sleep(10);
    const busy = performance.eventLoopUtilization(busyBefore).utilization;
    log(`${broker.title}: the consumer applied the last message ${(performance.now() - ended).toFixed(0)} ms after the last append; the producer's event loop was busy ${(busy * 100).toFixed(0)}% of the time`);
    if (lags.length < total) throw new Error(`${broker.title}: the consumer applied ${lags.length} of ${total} messages within 60 s of the last append`);
    return { lags, publishLags, rate };
  } finally {
    consumer.send('stop');
    const exited = new Promise((resolve) => consumer.once('exit', resolve));
    const timer = setTimeout(() => consumer.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
    await publisher.stop();
    await producerTransport.close();
    await broker.cleanup(scope, [`${scope}-lag`]);
    await Promise.all([events.close(), documents.close()]);
  }
}

async function brokerRows(broker: BenchBroker, context: Parameters<Figure['run']>[0]): Promise<BenchRow[]> {
  const count = context.quick ? 2_000 : 10_000;
  const throughput = await publishThroughput(broker, context.workDir, count);
  context.log(`${broker.title}: publisher ${Math.round(throughput.strata)} msg/s; bare client ${Math.round(throughput.pipelined)} msg/s with ${PUBLISHER_IN_FLIGHT} awaiting acks, ${Math.round(throughput.oneAtATime)} msg/s one at a time`);
  const { lags, publishLags, rate } = await endToEndLag(broker, context.workDir, context.quick ? 5 : 15, (line) => context.log(line));
  context.log(`${broker.title}: ${lags.length} events at ${Math.round(rate)}/s; end-to-end lag p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${percentile(lags, 99).toFixed(1)} ms (append to broker ack: p50 ${percentile(publishLags, 50).toFixed(1)} ms, p99 ${percentile(publishLags, 99).toFixed(1)} ms)`);
  return [
    ratioRow(`7a ${broker.title}: outbox publish throughput vs bare client, ${PUBLISHER_IN_FLIGHT} acks awaited at once`, throughput.strata, 'msg/s', throughput.pipelined, 0.8),
    infoRow(`7a ${broker.title}: outbox publish throughput vs bare client, one ack at a time`, throughput.strata, 'msg/s', throughput.oneAtATime),
    infoRow(`7b ${broker.title}: append rate held`, rate, 'events/s'),
    infoRow(`7b ${broker.title}: end-to-end lag p50 (append to consumer commit)`, percentile(lags, 50), 'ms'),
    ceilingRow(`7b ${broker.title}: end-to-end lag p99 (append to consumer commit)`, percentile(lags, 99), 'ms', 250),
    infoRow(`7b ${broker.title}: publish lag p99 (append to broker ack)`, percentile(publishLags, 99), 'ms'),
  ];
}

export const figure: Figure = {
  id: 'integration',
  title: 'integration events over NATS JetStream and RabbitMQ',
  async run(context): Promise<BenchRow[]> {
    const brokers = [natsBroker(process.env['STRATA_NATS_URL'] ?? 'nats://127.0.0.1:4222'), rabbitMqBroker(process.env['STRATA_RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672')];
    const only = process.env['STRATA_BENCH_BROKER'];
    const rows: BenchRow[] = [];
    for (const broker of brokers.filter((each) => only === undefined || each.id === only)) rows.push(...(await brokerRows(broker, context)));
    return rows;
  },
};
