import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Attributes,
  type AttributeValue,
  type Context,
  type ContextManager,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type TextMapPropagator,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';

/** One finished (or still open) span, as a test inspects it. */
export interface RecordedSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly attributes: Attributes;
  status: SpanStatus;
  ended: boolean;
}

/**
 * A minimal in-process OpenTelemetry SDK for tests: it records spans, keeps the active context
 * across awaits, and propagates W3C `traceparent`, so a test can assert what Strata traces
 * without installing an SDK. `uninstall()` puts the no-op API back.
 */
export class RecordingTracer {
  readonly spans: RecordedSpan[] = [];

  private constructor() {}

  /** Registers the recording tracer, context manager and propagator globally. */
  static install(): RecordingTracer {
    const recorder = new RecordingTracer();
    context.setGlobalContextManager(new AsyncContextManager().enable());
    propagation.setGlobalPropagator(new TraceparentPropagator());
    trace.setGlobalTracerProvider(new RecordingProvider(recorder.spans));
    return recorder;
  }

  /** The spans with this name, in start order. */
  named(name: string): RecordedSpan[] {
    return this.spans.filter((span) => span.name === name);
  }

  uninstall(): void {
    trace.disable();
    propagation.disable();
    context.disable();
  }
}

class AsyncContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }

  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const fn = target as (...args: unknown[]) => unknown;
    return ((...args: unknown[]) => this.with(ctx, () => fn(...args))) as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.storage.disable();
    return this;
  }
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** W3C trace context, `traceparent` only. */
class TraceparentPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown): void {
    const span = trace.getSpanContext(ctx);
    if (!span) return;
    (carrier as Record<string, string>).traceparent = `00-${span.traceId}-${span.spanId}-0${span.traceFlags}`;
  }

  extract(ctx: Context, carrier: unknown): Context {
    const header = (carrier as Record<string, unknown>).traceparent;
    const match = typeof header === 'string' ? TRACEPARENT.exec(header) : null;
    if (!match) return ctx;
    const spanContext: SpanContext = { traceId: match[1] as string, spanId: match[2] as string, traceFlags: TraceFlags.SAMPLED, isRemote: true };
    return trace.setSpanContext(ctx, spanContext);
  }

  fields(): string[] {
    return ['traceparent'];
  }
}

class RecordingProvider implements TracerProvider {
  constructor(private readonly spans: RecordedSpan[]) {}

  getTracer(): Tracer {
    return new RecordingTracerImpl(this.spans);
  }
}

class RecordingTracerImpl implements Tracer {
  constructor(private readonly spans: RecordedSpan[]) {}

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span {
    const parent = trace.getSpanContext(ctx);
    const record: RecordedSpan = {
      name,
      traceId: parent?.traceId ?? randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      parentSpanId: parent?.spanId,
      attributes: { ...options.attributes },
      status: { code: 0 },
      ended: false,
    };
    this.spans.push(record);
    return new RecordingSpan(record);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    const fn = rest.pop() as F;
    const [options, ctx] = rest as [SpanOptions | undefined, Context | undefined];
    const parent = ctx ?? context.active();
    const span = this.startSpan(name, options, parent);
    return context.with(trace.setSpan(parent, span), () => fn(span)) as ReturnType<F>;
  }
}

class RecordingSpan implements Span {
  constructor(private readonly record: RecordedSpan) {}

  spanContext(): SpanContext {
    return { traceId: this.record.traceId, spanId: this.record.spanId, traceFlags: TraceFlags.SAMPLED };
  }

  setAttribute(key: string, value: AttributeValue): this {
    (this.record.attributes as Record<string, AttributeValue>)[key] = value;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    Object.assign(this.record.attributes, attributes);
    return this;
  }

  addEvent(): this {
    return this;
  }

  addLink(): this {
    return this;
  }

  addLinks(): this {
    return this;
  }

  setStatus(status: SpanStatus): this {
    this.record.status = status;
    return this;
  }

  updateName(): this {
    return this;
  }

  end(): void {
    this.record.ended = true;
  }

  isRecording(): boolean {
    return !this.record.ended;
  }

  recordException(): void {}
}
