import { randomUUID } from 'node:crypto';
import type { IntegrationMessage } from '../integration/integration-event';
import type { Consumption, Delivery, IntegrationTransport } from '../integration/integration-transport';

/** Makes a transport for one test, on names (stream, exchange, queues) no other test uses. */
export interface TransportFactory {
  /** `scope` is unique per test: use it in stream, exchange and consumer names. */
  create(scope: string): Promise<IntegrationTransport>;
  /** Removes what `create` made on the broker (streams, queues). */
  cleanup?(transport: IntegrationTransport, scope: string): Promise<void>;
}

function message(type: string, key: string, n: number): IntegrationMessage {
  return { id: randomUUID(), type, version: 1, source: 'contract', key, occurredAt: new Date().toISOString(), data: { n }, headers: { 'correlation-id': `c${n}`, traceparent: `00-${'ab'.repeat(16)}-${String(n).padStart(16, '0')}-01` } };
}

/** Collects deliveries; acks each unless told to hold them. */
class Collector {
  readonly seen: Delivery[] = [];
  ack = true;

  readonly onDelivery = async (delivery: Delivery): Promise<void> => {
    this.seen.push(delivery);
    if (this.ack) await delivery.ack();
  };

  async until(count: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.seen.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} deliveries within ${timeoutMs} ms, got ${this.seen.length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  numbers(): number[] {
    return this.seen.map((delivery) => (delivery.message?.data as { n: number }).n);
  }
}

/**
 * What every integration transport must do against its real broker: publish resolves once the
 * broker has the message; consumers get their types, in publish order, whole; what a consumer
 * did not acknowledge comes again to the next consumption; pending counts the backlog.
 */
export function describeIntegrationTransportContract(name: string, factory: TransportFactory): void {
  describe(`${name}: integration transport contract`, () => {
    let transport: IntegrationTransport;
    let scope: string;
    const consumptions: Consumption[] = [];

    beforeEach(async () => {
      scope = `c${randomUUID().slice(0, 8)}`;
      transport = await factory.create(scope);
    });

    afterEach(async () => {
      for (const consumption of consumptions.splice(0)) await consumption.stop();
      await factory.cleanup?.(transport, scope);
      await transport.close();
    });

    const consume = async (consumer: string, types: readonly string[], collector: Collector): Promise<Consumption> => {
      const consumption = await transport.consume({ consumer, types, onDelivery: collector.onDelivery });
      consumptions.push(consumption);
      return consumption;
    };

    it('delivers the types a consumer asked for, whole and in publish order', async () => {
      const collector = new Collector();
      await consume(`${scope}-a`, ['contract.wanted'], collector);
      const published = Array.from({ length: 30 }, (_, n) => message(n % 3 === 2 ? 'contract.other' : 'contract.wanted', `key-${n % 4}`, n));
      for (const each of published) await transport.publish(each);
      const wanted = published.filter((each) => each.type === 'contract.wanted');
      await collector.until(wanted.length);
      expect(collector.numbers()).toEqual(wanted.map((each) => (each.data as { n: number }).n));
      expect(collector.seen[0]?.message).toEqual(wanted[0]);
      expect(collector.seen[0]?.problem).toBeNull();
      // The headers travel as the broker's own too, so trace context reaches tools that read the broker.
      expect(collector.seen[0]?.headers).toMatchObject(wanted[0]?.headers ?? {});
      expect(collector.seen[0]?.redeliveries).toBe(0);
    });

    it('keeps what was published before the consumer first came, for the consumer to take', async () => {
      // The consumer's queue or durable must exist first on RabbitMQ: create it, stop, then publish.
      const first = new Collector();
      await (await consume(`${scope}-late`, ['contract.late'], first)).stop();
      for (let n = 0; n < 5; n++) await transport.publish(message('contract.late', 'k', n));
      const collector = new Collector();
      await consume(`${scope}-late`, ['contract.late'], collector);
      await collector.until(5);
      expect(collector.numbers()).toEqual([0, 1, 2, 3, 4]);
    });

    it('delivers again, to the next consumption and first, what a consumer did not acknowledge', async () => {
      const holding = new Collector();
      holding.ack = false;
      const consumption = await consume(`${scope}-b`, ['contract.redeliver'], holding);
      for (let n = 0; n < 3; n++) await transport.publish(message('contract.redeliver', 'k', n));
      await holding.until(1);
      await consumption.stop();
      const next = new Collector();
      await consume(`${scope}-b`, ['contract.redeliver'], next);
      await next.until(3, 60_000);
      expect(next.numbers()).toEqual([0, 1, 2]);
      expect(next.seen[0]?.redeliveries).toBeGreaterThanOrEqual(1);
    });

    it('counts what waits for a consumer as pending, and nothing once it is acknowledged', async () => {
      const collector = new Collector();
      await (await consume(`${scope}-p`, ['contract.pending'], collector)).stop();
      for (let n = 0; n < 4; n++) await transport.publish(message('contract.pending', 'k', n));
      await expectEventually(async () => transport.pending(`${scope}-p`), 4);
      await consume(`${scope}-p`, ['contract.pending'], collector);
      await collector.until(4);
      await expectEventually(async () => transport.pending(`${scope}-p`), 0);
    });
  });
}

async function expectEventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (last !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  expect(last).toBe(expected);
}
