import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

/** The instrumentation scope of Strata's spans. */
export const STRATA_TRACER = '@strata/core';

/** The event metadata keys that carry W3C trace context (what the installed propagator writes). */
export type TraceCarrier = Record<string, string>;

export interface SpanOptions {
  readonly attributes?: Attributes;
  /** The context to start in; the active one by default. */
  readonly parent?: Context;
  /** What the span is to a trace viewer: internal by default, producer or consumer for messages. */
  readonly kind?: SpanKind;
  /** Whether an error counts as a span failure; a domain refusal, say, is an ordinary outcome. */
  readonly isFault?: (error: unknown) => boolean;
}

/**
 * Runs `work` in an active span named `name`. Built on `@opentelemetry/api` alone: until the
 * application installs an SDK, the tracer is a no-op and this costs a function call.
 */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const tracer = trace.getTracer(STRATA_TRACER);
  const parent = options.parent ?? context.active();
  return tracer.startActiveSpan(name, { attributes: options.attributes ?? {}, kind: options.kind ?? SpanKind.INTERNAL }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      if (options.isFault?.(error) ?? true) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      }
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active trace context as propagation headers (`traceparent`, `tracestate`); empty without an SDK. */
export function currentTraceCarrier(): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** A context that continues the trace in `carrier` (as stored in event metadata or the saga outbox). */
export function contextFromCarrier(carrier: Readonly<Record<string, unknown>> | null | undefined): Context {
  const headers: TraceCarrier = {};
  for (const [key, value] of Object.entries(carrier ?? {})) if (typeof value === 'string') headers[key] = value;
  return propagation.extract(context.active(), headers);
}

/** The trace headers among an event's metadata, to carry into what the event causes. */
export function traceCarrierOf(metadata: Readonly<Record<string, unknown>>): TraceCarrier | null {
  const carrier: TraceCarrier = {};
  for (const key of propagation.fields()) {
    const value = metadata[key];
    if (typeof value === 'string') carrier[key] = value;
  }
  return Object.keys(carrier).length === 0 ? null : carrier;
}
