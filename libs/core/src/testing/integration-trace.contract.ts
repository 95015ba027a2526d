import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { context, propagation, ROOT_CONTEXT, type Attributes } from '@opentelemetry/api';
import { IsString } from 'class-validator';
import type { AggregateHandle } from '../commands/aggregate-handle';
import type { Decider } from '../decider/decider';
import { InMemoryDocumentStore } from '../documents/in-memory-document-store';
import { InMemoryEventStore } from '../event-store/in-memory-event-store';
import type { Event, RecordedEvent } from '../events/event';
import type { InboxContext, InboxHandler, InboxMessage } from '../integration/inbox-handler';
import { Inbox } from '../integration/inbox.decorator';
import { integrationEvent } from '../integration/integration-event';
import { IntegrationEvents } from '../integration/integration-events.service';
import { publish } from '../integration/integration-mapper';
import type { Delivery, IntegrationTransport } from '../integration/integration-transport';
import { StrataIntegrationModule } from '../integration/strata-integration.module';
import { getDeciderToken, InjectDecider, StrataModule } from '../module/strata.module';
import type { TransportFactory } from './integration-transport.contract';

/** A span as an in-process recording SDK keeps it (`RecordingTracer` of `@strata/testing` is one). */
export interface TracedSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly attributes: Attributes;
}

/** An installed OpenTelemetry SDK that records spans and propagates W3C `traceparent`. */
export interface SpanRecorder {
  readonly spans: readonly TracedSpan[];
  uninstall(): void;
}

class Pinged {
  @IsString() pingId!: string;
}
const PingedV1 = integrationEvent('trace.pinged', 1, Pinged);
type PingEvent = Event<'Pinged', { pingId: string }>;
type PongEvent = Event<'Ponged', { pingId: string }>;
const ping: Decider<{ pingId: string }, PingEvent, null> = { category: 'Ping', initialState: () => null, evolve: () => null, decide: (command) => [{ type: 'Pinged', data: command }] };
const pong: Decider<{ pingId: string }, PongEvent, null> = { category: 'Pong', initialState: () => null, evolve: () => null, decide: (command) => [{ type: 'Ponged', data: command }] };

@Injectable()
class PingMapper {
  map(event: RecordedEvent<PingEvent>) {
    return publish(PingedV1, { pingId: event.data.pingId });
  }
}

/** Projections' timing for the test apps: leases long enough for a busy machine. */
const timing = { pollIntervalMs: 10, leaseTtlMs: 10_000 };

async function startApp(imports: NonNullable<Parameters<typeof Module>[0]>['imports'], providers: NonNullable<Parameters<typeof Module>[0]>['providers'] = []): Promise<INestApplicationContext> {
  @Module({ imports, providers })
  class TraceAppModule {}
  return NestFactory.createApplicationContext(TraceAppModule, { logger: false });
}

/** The consumer: an inbox named for the test that answers each ping with a pong command. */
function pongInbox(name: string) {
  @Inbox({ name, events: [PingedV1] })
  class PongInbox implements InboxHandler<typeof PingedV1> {
    constructor(@InjectDecider(pong) private readonly pongs: AggregateHandle<{ pingId: string }, PongEvent, null>) {}

    async handle(message: InboxMessage<typeof PingedV1>, ctx: InboxContext): Promise<void> {
      await this.pongs.handle(message.data.pingId, { pingId: message.data.pingId }, ctx.command());
    }
  }
  return PongInbox;
}

/**
 * What every transport must carry for tracing, against its real broker: a producer's command
 * run in a known trace publishes in a producer span of that trace, the broker message carries
 * its `traceparent`, and the consumer's inbox span (a child of the publish) runs the commands,
 * whose events record the same trace id. Needs an SDK: `install` sets one up for the test.
 */
export function describeIntegrationTraceContract(name: string, factory: TransportFactory, install: () => SpanRecorder): void {
  describe(`${name}: trace context across services`, () => {
    let recorder: SpanRecorder;
    let scope: string;
    let observer: IntegrationTransport;
    const apps: INestApplicationContext[] = [];

    beforeEach(async () => {
      recorder = install();
      scope = `c${randomUUID().slice(0, 8)}`;
      observer = await factory.create(scope);
    });

    afterEach(async () => {
      // Closing an app closes its transport; the observer's cleans up the broker.
      for (const app of apps.splice(0)) await app.close();
      await factory.cleanup?.(observer, scope);
      await observer.close();
      recorder.uninstall();
    });

    it("runs the consumer's commands in the producer's trace, under a span of the message", async () => {
      const consumerEvents = new InMemoryEventStore();
      const consumer = await startApp(
        [
          StrataModule.forRoot({ eventStore: consumerEvents, readStore: new InMemoryDocumentStore(), projections: timing }),
          StrataModule.forFeature({ deciders: [pong] }),
          StrataIntegrationModule.forRoot({ source: 'pongs', transport: await factory.create(scope) }),
        ],
        [pongInbox(`${scope}-a`)],
      );
      apps.push(consumer);
      const producer = await startApp([
        StrataModule.forRoot({ eventStore: new InMemoryEventStore(), readStore: new InMemoryDocumentStore(), projections: timing }),
        StrataModule.forFeature({ deciders: [ping] }),
        StrataIntegrationModule.forRoot({ source: 'pings', transport: await factory.create(scope), publish: { mapper: PingMapper, events: ['Pinged'] } }),
      ]);
      apps.push(producer);
      // An observer of the same messages sees what the broker carries in its own headers.
      const observed: Delivery[] = [];
      const observing = await observer.consume({ consumer: `${scope}-b`, types: [PingedV1.name], onDelivery: async (delivery) => void observed.push(delivery) });
      try {
        await until(async () => (await consumer.get(IntegrationEvents).inboxStatuses()).some((status) => status.consuming), 'the inbox to consume');

        const traceId = randomBytes(16).toString('hex');
        const callerSpanId = randomBytes(8).toString('hex');
        const pingId = randomUUID();
        const caller = propagation.extract(ROOT_CONTEXT, { traceparent: `00-${traceId}-${callerSpanId}-01` });
        const pings = producer.get<AggregateHandle<{ pingId: string }, PingEvent, null>>(getDeciderToken(ping));
        await context.with(caller, () => pings.handle(pingId, { pingId }, { correlationId: `corr-${pingId}` }));

        let ponged: RecordedEvent | undefined;
        await until(async () => (ponged = await first(consumerEvents, `Pong-${pingId}`)) !== undefined && observed.length > 0, 'the pong and the observed message');
        const spans = recorder.spans;
        const command = spans.find((span) => span.name === 'strata.command Ping' && span.attributes['strata.stream_id'] === `Ping-${pingId}`);
        expect(command).toMatchObject({ traceId, parentSpanId: callerSpanId });

        // The broker's headers carry the publish span's context, a child of the producer's command.
        const traceparent = observed[0]?.headers['traceparent'] ?? '';
        expect(traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
        const publishSpan = spans.find((span) => span.spanId === traceparent.split('-')[2]);
        expect(publishSpan).toMatchObject({ name: 'strata.integration.publish trace.pinged', traceId, parentSpanId: command?.spanId });

        const inbox = spans.find((span) => span.name === 'strata.inbox trace.pinged' && span.attributes['strata.inbox'] === `${scope}-a`);
        expect(inbox).toMatchObject({ traceId, parentSpanId: publishSpan?.spanId });
        const consumerCommand = spans.find((span) => span.name === 'strata.command Pong' && span.attributes['strata.stream_id'] === `Pong-${pingId}`);
        expect(consumerCommand).toMatchObject({ traceId, parentSpanId: inbox?.spanId });
        expect(ponged?.metadata).toMatchObject({ traceparent: `00-${traceId}-${consumerCommand?.spanId}-01`, correlationId: `corr-${pingId}` });
      } finally {
        await observing.stop();
      }
    });
  });
}

async function first(events: InMemoryEventStore, streamId: string): Promise<RecordedEvent | undefined> {
  const page = await events.readAll({ maxCount: 100 });
  return page.events.find((event) => event.streamId === streamId);
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
