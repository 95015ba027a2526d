import { IsString } from 'class-validator';
import { InMemoryDocumentStore } from '../documents/in-memory-document-store';
import { InboxConsumer } from './inbox-consumer';
import { InboxParking } from './inbox-parking';
import { InboxProcessor } from './inbox-processor';
import { InMemoryIntegrationTransport } from './in-memory-transport';
import { integrationEvent } from './integration-event';

class Noted {
  @IsString() note!: string;
}
const options = { name: 'notes', events: [integrationEvent('notes.noted', 1, Noted)] };
const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** The in-memory broker, counting how often it is asked for a backlog, as a probe would make it. */
class CountingTransport extends InMemoryIntegrationTransport {
  asked = 0;
  answer: Promise<number | null> = Promise.resolve(3);

  override pending(): Promise<number | null> {
    this.asked += 1;
    return this.answer;
  }
}

describe('InboxConsumer status', () => {
  let clock: number;
  let transport: CountingTransport;
  let consumer: InboxConsumer;

  beforeEach(() => {
    clock = 0;
    transport = new CountingTransport();
    const documents = new InMemoryDocumentStore();
    const processor = new InboxProcessor(options, { handle: () => Promise.resolve() }, new InboxParking(documents, options.name), { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, silent);
    consumer = new InboxConsumer(options, processor, transport, documents, { leaseTtlMs: 10_000, pendingMaxAgeMs: 2_000 }, 'owner', silent, () => clock);
  });

  it('asks the broker for its backlog at most once per pendingMaxAgeMs, however often it is probed', async () => {
    const probes = await Promise.all(Array.from({ length: 50 }, () => consumer.status(0)));
    expect(probes.map((status) => status.pending)).toEqual(Array.from({ length: 50 }, () => 3));
    clock = 1_999;
    transport.answer = Promise.resolve(0);
    expect((await consumer.status(0)).pending).toBe(3);
    expect(transport.asked).toBe(1);
    clock = 2_000;
    expect((await consumer.status(0)).pending).toBe(0);
    expect(transport.asked).toBe(2);
  });

  it('reports a broker it cannot ask as null, and waits out the same age before asking it again', async () => {
    transport.answer = Promise.reject(new Error('connection refused'));
    expect((await consumer.status(1)).pending).toBeNull();
    expect((await consumer.status(1)).pending).toBeNull();
    expect(transport.asked).toBe(1);
    clock = 2_000;
    transport.answer = Promise.resolve(4);
    expect(await consumer.status(1)).toMatchObject({ name: 'notes', pending: 4, parked: 1, consuming: false });
  });
});
