import { Logger, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsInt, IsString, Min } from 'class-validator';
import { AggregateHandle } from '../commands/aggregate-handle';
import type { Decider } from '../decider/decider';
import { InMemoryDocumentStore } from '../documents/in-memory-document-store';
import { InMemoryEventStore } from '../event-store/in-memory-event-store';
import type { Event, RecordedEvent } from '../events/event';
import { getDeciderToken, InjectDecider, StrataModule } from '../module/strata.module';
import { PARKED_COLLECTION, ParkedEvents, type ParkedEvent } from '../projections/parked-events';
import type { InboxContext, InboxHandler, InboxMessage } from './inbox-handler';
import { Inbox } from './inbox.decorator';
import { InMemoryIntegrationTransport } from './in-memory-transport';
import { integrationEvent } from './integration-event';
import { IntegrationEvents } from './integration-events.service';
import { publish, type IntegrationMapper, type PublishedEvent } from './integration-mapper';
import { publisherSubscriptionName } from './integration-publisher';
import { StrataIntegrationModule } from './strata-integration.module';

// The producer's domain: wallets credited; the public contract hides the internal field names.
type Credited = Event<'Credited', { walletId: string; cents: number; secret: string }>;
type Broken = Event<'Broken', { walletId: string }>;
const wallet: Decider<{ walletId: string; cents: number } | { walletId: string; broken: true }, Credited | Broken, null> = {
  category: 'Wallet',
  initialState: () => null,
  evolve: () => null,
  decide: (command) => ('broken' in command ? [{ type: 'Broken', data: { walletId: command.walletId } }] : [{ type: 'Credited', data: { ...command, secret: 'internal' } }]),
};

class WalletCredited {
  @IsString() walletId!: string;
  @IsInt() @Min(1) amount!: number;
}
const WalletCreditedV1 = integrationEvent('wallets.credited', 1, WalletCredited);

class WalletMapper implements IntegrationMapper<Credited | Broken> {
  map(event: RecordedEvent<Credited | Broken>): PublishedEvent | null {
    if (event.type === 'Broken') throw new Error(`cannot map the broken wallet ${event.data.walletId}`);
    const data = event.data as Credited['data'];
    return publish(WalletCreditedV1, { walletId: data.walletId, amount: data.cents });
  }
}

// The consumer's domain: a ledger per wallet, one entry per credit.
type Entered = Event<'Entered', { walletId: string; amount: number }>;
const ledger: Decider<{ walletId: string; amount: number }, Entered, null> = {
  category: 'Ledger',
  initialState: () => null,
  evolve: () => null,
  decide: (command) => [{ type: 'Entered', data: command }],
};

/** Walls off one wallet: while it is poisoned, its messages throw, as a bug would. */
const poisoned = new Set<string>();
/** Credits of these amounts throw, whatever the wallet. */
const poisonedAmounts = new Set<number>();

@Inbox({ name: 'ledger', events: [WalletCreditedV1] })
class LedgerInbox implements InboxHandler<typeof WalletCreditedV1> {
  constructor(@InjectDecider(ledger) private readonly ledgers: AggregateHandle<Entered['data'], Entered, null>) {}

  async handle(message: InboxMessage<typeof WalletCreditedV1>, ctx: InboxContext): Promise<void> {
    if (poisoned.has(message.data.walletId)) throw new Error(`wallet ${message.data.walletId} is poisoned`);
    if (poisonedAmounts.has(message.data.amount)) throw new Error(`amount ${message.data.amount} is poisoned`);
    await this.ledgers.handle(message.data.walletId, { walletId: message.data.walletId, amount: message.data.amount }, ctx.command());
  }
}

const fast = { pollIntervalMs: 5, leaseTtlMs: 2_000, maxAttempts: 3, retryBaseDelayMs: 1, retryMaxDelayMs: 5 };

interface Service {
  readonly app: INestApplicationContext;
  readonly events: InMemoryEventStore;
  readonly documents: InMemoryDocumentStore;
}

async function producer(transport: InMemoryIntegrationTransport): Promise<Service & { wallets: AggregateHandle<never, Credited | Broken, null> }> {
  const events = new InMemoryEventStore();
  const documents = new InMemoryDocumentStore();
  @Module({
    imports: [
      StrataModule.forRoot({ eventStore: events, readStore: documents, projections: fast }),
      StrataModule.forFeature({ deciders: [wallet] }),
      StrataIntegrationModule.forRoot({ source: 'wallets', transport, publish: { mapper: WalletMapper, events: ['Credited', 'Broken'] } }),
    ],
  })
  class ProducerModule {}
  const app = await NestFactory.createApplicationContext(ProducerModule, { logger: false });
  return { app, events, documents, wallets: app.get(getDeciderToken(wallet)) };
}

async function consumer(transport: InMemoryIntegrationTransport): Promise<Service> {
  const events = new InMemoryEventStore();
  const documents = new InMemoryDocumentStore();
  @Module({
    imports: [
      StrataModule.forRoot({ eventStore: events, readStore: documents, projections: fast }),
      StrataModule.forFeature({ deciders: [ledger] }),
      StrataIntegrationModule.forRoot({ source: 'ledger', transport }),
    ],
    providers: [LedgerInbox],
  })
  class ConsumerModule {}
  const app = await NestFactory.createApplicationContext(ConsumerModule, { logger: false });
  return { app, events, documents };
}

async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function entriesOf(events: InMemoryEventStore): Promise<RecordedEvent[]> {
  return (await events.readAll({ maxCount: 10_000 })).events.filter((event) => event.type === 'Entered');
}

describe('integration events', () => {
  let transport: InMemoryIntegrationTransport;
  const apps: INestApplicationContext[] = [];

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    transport = new InMemoryIntegrationTransport();
    poisoned.clear();
    poisonedAmounts.clear();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  it('publishes each mapped event once, in log order, with an id derived from the event id and the public shape only', async () => {
    const wallets = await producer(transport);
    apps.push(wallets.app);
    await wallets.wallets.handle('w1', { walletId: 'w1', cents: 100 } as never, { correlationId: 'corr-1' });
    await wallets.wallets.handle('w2', { walletId: 'w2', cents: 200 } as never);
    await eventually(() => transport.published.length === 2, 'two messages');
    const [first, second] = transport.published;
    expect(first).toMatchObject({ type: 'wallets.credited', version: 1, source: 'wallets', key: 'Wallet-w1', data: { walletId: 'w1', amount: 100 } });
    expect(first?.headers['correlation-id']).toBe('corr-1');
    expect(first?.data).not.toHaveProperty('secret');
    expect(second?.data).toEqual({ walletId: 'w2', amount: 200 });
    const recorded = (await wallets.events.readAll()).events;
    // The same event always gives the same id: a second publisher over the same log repeats it.
    const again = await producer(transport);
    apps.push(again.app);
    await again.events.appendToStream('Wallet-w1', recorded.slice(0, 1).map((event) => ({ id: event.id, type: event.type, data: event.data, metadata: event.metadata })), { expectedRevision: 'any' });
    await eventually(async () => (await again.documents.getCheckpoint(publisherSubscriptionName('wallets'))) !== null, 'the second publisher to pass the event');
    expect(transport.published).toHaveLength(2);
  });

  it('holds its checkpoint while the broker is down, never parks, and publishes everything once it is back', async () => {
    const wallets = await producer(transport);
    apps.push(wallets.app);
    await wallets.wallets.handle('w1', { walletId: 'w1', cents: 1 } as never);
    await eventually(() => transport.published.length === 1, 'the first message');
    transport.down = true;
    for (let i = 2; i <= 6; i++) await wallets.wallets.handle('w1', { walletId: 'w1', cents: i } as never);
    const integration = wallets.app.get(IntegrationEvents);
    await eventually(async () => (await integration.publisherStatus())?.lastError !== null, 'the publisher to notice');
    const during = await integration.publisherStatus();
    expect(during?.lag).toBe(5);
    expect(during?.parked).toBe(0);
    transport.down = false;
    await eventually(() => transport.published.length === 6, 'the rest after the outage', 15_000);
    expect(transport.published.map((message) => (message.data as WalletCredited).amount)).toEqual([1, 2, 3, 4, 5, 6]);
    await eventually(async () => (await integration.publisherStatus())?.lag === 0, 'lag 0');
  });

  it('parks an event its mapper throws on and publishes the others', async () => {
    const wallets = await producer(transport);
    apps.push(wallets.app);
    await wallets.wallets.handle('w1', { walletId: 'w1', cents: 1 } as never);
    await wallets.wallets.handle('w9', { walletId: 'w9', broken: true } as never);
    await wallets.wallets.handle('w2', { walletId: 'w2', cents: 2 } as never);
    const parkedEvents = wallets.documents.collection<ParkedEvent>(PARKED_COLLECTION);
    await eventually(async () => transport.published.length === 2 && (await parkedEvents.countDocuments({})) === 1, 'the two mappable messages and one parked event');
    const parked = await parkedEvents.find({ subscription: publisherSubscriptionName('wallets') });
    expect(parked).toEqual([expect.objectContaining({ eventType: 'Broken', streamId: 'Wallet-w9', error: expect.stringContaining('cannot map the broken wallet w9') as unknown })]);
  });

  it('applies every message once in the consumer, even when the broker delivers a repeat', async () => {
    const wallets = await producer(transport);
    const ledgers = await consumer(transport);
    apps.push(wallets.app, ledgers.app);
    for (let i = 1; i <= 5; i++) await wallets.wallets.handle(`w${i % 2}`, { walletId: `w${i % 2}`, cents: i } as never, { correlationId: `c${i}` });
    await eventually(async () => (await entriesOf(ledgers.events)).length === 5, 'five ledger entries');
    // A broker without dedupe (RabbitMQ) may deliver a message again: same payload, no id check.
    const first = transport.published[0] as (typeof transport.published)[number];
    transport.publishRaw(first.type, Buffer.from(JSON.stringify(first)));
    await eventually(async () => (await ledgers.app.get(IntegrationEvents).inboxStatuses())[0]?.pending === 0, 'the repeat to be consumed');
    const entries = await entriesOf(ledgers.events);
    expect(entries.map((entry) => (entry.data as Entered['data']).amount)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]?.metadata).toMatchObject({ causationId: first.id, correlationId: 'c1' });
  });

  it('parks a poison message after its retries, holds the later ones of its key behind it, lets other keys flow, and a retry applies the sequence in order', async () => {
    const wallets = await producer(transport);
    const ledgers = await consumer(transport);
    apps.push(wallets.app, ledgers.app);
    poisoned.add('bad');
    await wallets.wallets.handle('bad', { walletId: 'bad', cents: 1 } as never);
    await wallets.wallets.handle('bad', { walletId: 'bad', cents: 2 } as never);
    await wallets.wallets.handle('good', { walletId: 'good', cents: 3 } as never);
    await wallets.wallets.handle('bad', { walletId: 'bad', cents: 4 } as never);
    await eventually(async () => (await entriesOf(ledgers.events)).length === 1, 'the good wallet to flow');
    const parkedCollection = ledgers.documents.collection<ParkedEvent & { payload: string }>(PARKED_COLLECTION);
    await eventually(async () => (await parkedCollection.countDocuments({})) === 3, 'three parked messages');
    const parked = await parkedCollection.find({}, { sort: { position: 1 } });
    expect(parked.map((record) => [record.attempts, (JSON.parse(record.payload) as { data: { amount: number } }).data.amount])).toEqual([
      [3, 1],
      [0, 2],
      [0, 4],
    ]);
    expect(parked[1]?.error).toContain('Held behind an earlier parked message');
    poisoned.clear();
    const outcome = await ledgers.app.get(IntegrationEvents).retryParked((parked[0] as ParkedEvent)._id);
    expect(outcome.failed).toBeNull();
    expect(outcome.applied).toHaveLength(3);
    const entries = await entriesOf(ledgers.events);
    expect(entries.filter((entry) => entry.streamId === 'Ledger-bad').map((entry) => (entry.data as Entered['data']).amount)).toEqual([1, 2, 4]);
    expect(await parkedCollection.countDocuments({})).toBe(0);
  });

  it('skips a parked message: those held behind it are applied in order, and one that fails too heads the sequence again', async () => {
    const wallets = await producer(transport);
    const ledgers = await consumer(transport);
    apps.push(wallets.app, ledgers.app);
    poisoned.add('bad');
    for (const cents of [1, 2, 4]) await wallets.wallets.handle('bad', { walletId: 'bad', cents } as never);
    const parkedEvents = new ParkedEvents(ledgers.documents);
    await eventually(async () => (await parkedEvents.count('inbox:ledger')) === 3, 'three parked messages');
    const [first, second, third] = await parkedEvents.list('inbox:ledger');
    const integration = ledgers.app.get(IntegrationEvents);

    poisoned.clear();
    poisonedAmounts.add(2);
    const skipped = await integration.skipParked(String(first?._id));
    expect(skipped).toMatchObject({ skipped: { _id: first?._id }, released: { applied: [], failed: { id: second?._id, error: 'amount 2 is poisoned' } } });
    const [sequence, ...others] = await parkedEvents.sequences('inbox:ledger');
    expect(others).toEqual([]);
    expect(sequence?.events.map((record) => [record._id, record.held, record.attempts])).toEqual([
      [second?._id, false, 1],
      [third?._id, true, 0],
    ]);

    const released = await integration.skipParked(String(second?._id));
    expect(released.released).toEqual({ id: second?._id, applied: [third?._id], failed: null });
    expect((await entriesOf(ledgers.events)).map((entry) => (entry.data as Entered['data']).amount)).toEqual([4]);
    expect(await parkedEvents.count('inbox:ledger')).toBe(0);
  });

  it('parks at once, with the reason, a message that is not JSON, breaks its contract or is of another version, and appends nothing for it', async () => {
    const ledgers = await consumer(transport);
    apps.push(ledgers.app);
    const envelope = { id: 'm1', type: 'wallets.credited', version: 1, source: 'wallets', key: 'k1', occurredAt: new Date().toISOString(), headers: {} };
    transport.publishRaw('wallets.credited', Buffer.from('{"id": "m0", oops'));
    transport.publishRaw('wallets.credited', Buffer.from(JSON.stringify({ ...envelope, data: { walletId: 'w', amount: -5 } })));
    transport.publishRaw('wallets.credited', Buffer.from(JSON.stringify({ ...envelope, id: 'm2', key: 'k2', version: 2, data: { walletId: 'w', amount: 5 } })));
    transport.publishRaw('wallets.credited', Buffer.from(JSON.stringify({ ...envelope, id: 'm3', key: 'k3', data: { amount: 5 } })));
    // A field the contract does not declare is dropped, not refused: publishers may add fields.
    transport.publishRaw('wallets.credited', Buffer.from(JSON.stringify({ ...envelope, id: 'm4', key: 'k4', data: { walletId: 'w4', amount: 7, extra: true } })));
    const parkedCollection = ledgers.documents.collection<ParkedEvent>(PARKED_COLLECTION);
    await eventually(async () => (await entriesOf(ledgers.events)).length === 1, 'the tolerant read of m4');
    expect(await parkedCollection.countDocuments({})).toBe(4);
    const errors = (await parkedCollection.find({}, { sort: { position: 1 } })).map((record) => [record.attempts, record.error]);
    expect(errors).toEqual([
      [1, expect.stringContaining('the payload is not JSON')],
      [1, expect.stringMatching(/m1 .*breaks its contract: amount: amount must not be less than 1/)],
      [1, expect.stringContaining("'wallets.credited' version 2; this inbox receives version 1")],
      [1, expect.stringContaining('walletId: walletId must be a string')],
    ]);
    expect((await entriesOf(ledgers.events)).map((entry) => entry.data)).toEqual([{ walletId: 'w4', amount: 7 }]);
  });
});
