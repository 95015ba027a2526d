import { trace } from '@opentelemetry/api';
import { DomainError, InMemoryEventStore, type Decider, type Event } from '@strata/core';
import { handleCommand, inSpan } from '@strata/core/adapter';
import { RecordingTracer } from './recording-tracer';

type Noted = Event<'Noted', { text: string }>;
class Refused extends DomainError {}
const notes: Decider<{ type: 'Note'; text: string }, Noted, number> = {
  category: 'Note',
  initialState: () => 0,
  evolve: (count) => count + 1,
  decide: (command) => {
    if (command.text === '') throw new Refused('EMPTY_NOTE', 'A note needs text.');
    return [{ type: 'Noted', data: { text: command.text } }];
  },
};

describe("core's tracing, seen through the RecordingTracer", () => {
  let tracer: RecordingTracer;
  beforeEach(() => (tracer = RecordingTracer.install()));
  afterEach(() => tracer.uninstall());

  it('traces a command and its append, and records the command span as traceparent on its events', async () => {
    const store = new InMemoryEventStore();
    await inSpan('http request', {}, () => handleCommand(store, notes, 'Note-1', { type: 'Note', text: 'hi' }));

    const [request] = tracer.named('http request');
    const [command] = tracer.named('strata.command Note');
    const [append] = tracer.named('strata.append');
    expect(command).toMatchObject({ traceId: request?.traceId, parentSpanId: request?.spanId, ended: true });
    expect(command?.attributes).toMatchObject({ 'strata.stream_id': 'Note-1', 'strata.outcome': 'ok', 'strata.revision': 0 });
    expect(append).toMatchObject({ traceId: request?.traceId, parentSpanId: command?.spanId });
    const page = await store.readAll();
    expect(page.events[0]?.metadata.traceparent).toBe(`00-${command?.traceId}-${command?.spanId}-01`);
  });

  it('counts a refusal as an outcome, not a span failure; other errors fail the span', async () => {
    const store = new InMemoryEventStore();
    await expect(handleCommand(store, notes, 'Note-1', { type: 'Note', text: '' })).rejects.toBeInstanceOf(Refused);
    expect(tracer.named('strata.command Note')[0]).toMatchObject({ attributes: { 'strata.outcome': 'rejected' }, status: { code: 0 } });

    await expect(inSpan('broken', {}, () => Promise.reject(new Error('disk on fire')))).rejects.toThrow('disk on fire');
    expect(tracer.named('broken')[0]?.status).toEqual({ code: 2, message: 'disk on fire' });
  });

  it('puts the no-op API back on uninstall, so events carry no trace context', async () => {
    tracer.uninstall();
    const store = new InMemoryEventStore();
    await handleCommand(store, notes, 'Note-1', { type: 'Note', text: 'hi' });
    expect((await store.readAll()).events[0]?.metadata).not.toHaveProperty('traceparent');
    expect(trace.getActiveSpan()).toBeUndefined();
    tracer = RecordingTracer.install();
  });
});
