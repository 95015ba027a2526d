import { StrataError } from '../errors/strata-error';
import { decodeMessage } from './decode-message';
import type { IntegrationMessage } from './integration-event';
import { encodeMessage, IntegrationTransport, type Consumption, type ConsumeOptions, type Delivery } from './integration-transport';

interface Subscriber {
  readonly types: ReadonlySet<string>;
  /** Index into the log of the first message not yet acknowledged. */
  acked: number;
  readonly deliveries: Map<number, number>;
}

/**
 * A broker in memory, for unit tests and single-process apps: a log of payloads, dedupe by
 * message id (as JetStream does), and one cursor per consumer that moves only on ack, so a
 * consumer that stops gets its unacknowledged messages again. `down` makes it refuse publishes.
 */
export class InMemoryIntegrationTransport extends IntegrationTransport {
  readonly name = 'memory';
  /** While true, `publish` rejects as a broker that is down does. */
  down = false;
  private readonly log: { readonly payload: Buffer; readonly type: string }[] = [];
  private readonly ids = new Set<string>();
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly waiters = new Set<() => void>();

  /** The messages published, in order, after dedupe. */
  get published(): IntegrationMessage[] {
    return this.log.map((entry) => decodeMessage(entry.payload).message as IntegrationMessage);
  }

  publish(message: IntegrationMessage): Promise<void> {
    if (this.down) return Promise.reject(new StrataError('BROKER_UNAVAILABLE', 'The in-memory broker is down.'));
    this.publishRaw(message.type, encodeMessage(message), message.id);
    return Promise.resolve();
  }

  /** Puts a payload on the log as a foreign publisher might, well-formed or not. */
  publishRaw(type: string, payload: Buffer, id?: string): void {
    if (id !== undefined) {
      if (this.ids.has(id)) return;
      this.ids.add(id);
    }
    this.log.push({ payload, type });
    for (const wake of this.waiters) wake();
  }

  consume(options: ConsumeOptions): Promise<Consumption> {
    let subscriber = this.subscribers.get(options.consumer);
    if (!subscriber) {
      subscriber = { types: new Set(options.types), acked: 0, deliveries: new Map() };
      this.subscribers.set(options.consumer, subscriber);
    }
    const state = { stopped: false };
    const loop = this.deliverLoop(subscriber, options, state);
    return Promise.resolve({
      alive: () => !state.stopped,
      stop: async () => {
        state.stopped = true;
        for (const wake of this.waiters) wake();
        await loop;
      },
    });
  }

  pending(consumer: string): Promise<number | null> {
    const subscriber = this.subscribers.get(consumer);
    if (!subscriber) return Promise.resolve(null);
    return Promise.resolve(this.log.slice(subscriber.acked).filter((entry) => subscriber.types.has(entry.type)).length);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async deliverLoop(subscriber: Subscriber, options: ConsumeOptions, state: { stopped: boolean }): Promise<void> {
    // Each consumption starts from the first unacknowledged message: what a stop left in hand comes again.
    let next = subscriber.acked;
    while (!state.stopped) {
      if (next >= this.log.length) {
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            this.waiters.delete(wake);
            resolve();
          };
          this.waiters.add(wake);
        });
        continue;
      }
      const index = next;
      const entry = this.log[index] as { readonly payload: Buffer; readonly type: string };
      next += 1;
      if (!subscriber.types.has(entry.type)) {
        if (subscriber.acked === index) subscriber.acked = next;
        continue;
      }
      const count = subscriber.deliveries.get(index) ?? 0;
      subscriber.deliveries.set(index, count + 1);
      const decoded = decodeMessage(entry.payload);
      const delivery: Delivery = {
        ...decoded,
        // No broker headers here: the payload's stand in for them.
        headers: decoded.message?.headers ?? {},
        raw: entry.payload.toString('utf8'),
        redeliveries: count,
        ack: () => {
          if (subscriber.acked === index) subscriber.acked = index + 1;
          return Promise.resolve();
        },
        working: () => undefined,
      };
      try {
        await options.onDelivery(delivery);
      } catch {
        // Not acknowledged: deliver it again, after the others in hand, as a broker would after its ack wait.
        next = subscriber.acked;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  }
}
