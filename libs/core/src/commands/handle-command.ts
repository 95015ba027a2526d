import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyConflictError, IdempotencyKeyReusedError, WrongExpectedRevisionError } from '../errors/concurrency-errors';
import type { Decider } from '../decider/decider';
import type { Event, EventMetadata, EventToAppend, RecordedEvent } from '../events/event';
import type { EventStore } from '../event-store/event-store';
import type { Position } from '../event-store/position';
import { assertExpectedRevision } from '../event-store/append-validation';
import type { CommandContext } from './command-context';
import type { CommandResult } from './command-result';
import { deriveEventId } from './event-ids';
import { loadStream } from './load-stream';
import { scheduleSnapshot } from './schedule-snapshot';
import type { Snapshots } from '../snapshots/snapshots';
import { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
import { commandNameOf, observeCommand } from '../observability/command-observer';
import { strataTelemetry } from '../observability/strata-telemetry';
import { currentTraceCarrier, inSpan } from '../observability/tracing';

export { loadStream, type LoadedStream, type LoadStreamOptions } from './load-stream';

export interface HandleCommandOptions extends CommandContext {
  readonly retry?: RetryPolicy;
  /** Where the decider's snapshots are loaded from and queued to, when it opts in. */
  readonly snapshots?: Snapshots;
}

/**
 * Loads the stream, decides, and appends with the revision it read. A conflict re-reads and
 * decides again, with jittered backoff, unless the caller fixed the expected revision.
 * Each command is a `strata.command` span and a sample of the command metrics.
 */
export function handleCommand<Command, E extends Event, State>(
  store: EventStore,
  decider: Decider<Command, E, State>,
  streamId: string,
  command: Command,
  options: HandleCommandOptions = {},
): Promise<CommandResult> {
  return observeCommand(commandNameOf(command, decider.category), streamId, () => decideAndAppend(store, decider, streamId, command, options));
}

async function decideAndAppend<Command, E extends Event, State>(
  store: EventStore,
  decider: Decider<Command, E, State>,
  streamId: string,
  command: Command,
  options: HandleCommandOptions,
): Promise<CommandResult> {
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const commandId = options.commandId ?? randomUUID();
  const explicit = options.expectedRevision;
  for (let attempt = 1; ; attempt++) {
    const loaded = await loadStream(store, decider, streamId, options);
    if (loaded.previousRun) {
      assertSameRequest(loaded.previousRun, streamId, commandId, options.fingerprint);
      return { streamId, revision: loaded.previousRun.revision, position: loaded.previousRun.position, repeated: true };
    }
    // A stale If-Match is refused before deciding, so the client learns its view is old
    // rather than getting a business error computed on state it has not seen.
    if (explicit !== undefined) assertExpectedRevision(streamId, explicit, loaded.revision);
    const events = decider.decide(command, loaded.state);
    if (events.length === 0) {
      return { streamId, revision: loaded.revision, position: loaded.lastPosition ?? ('' as Position), repeated: false };
    }
    const metadata = metadataFor(options, commandId);
    const toAppend: EventToAppend<E>[] = events.map((event, index) => ({
      id: deriveEventId(commandId, streamId, index),
      type: event.type,
      data: event.data,
      metadata,
    }));
    try {
      const expectedRevision = explicit ?? (loaded.revision < 0n ? 'no_stream' : loaded.revision);
      const appended = await inSpan('strata.append', { attributes: { 'strata.stream_id': streamId, 'strata.events': toAppend.length } }, () =>
        store.appendToStream(streamId, toAppend, { expectedRevision }),
      );
      if (options.fingerprint !== undefined) await assertOwnAppend(store, streamId, toAppend, commandId, options.fingerprint);
      for (const event of toAppend) strataTelemetry.emit({ kind: 'appended', eventType: event.type, count: 1 });
      if (options.snapshots) scheduleSnapshot(options.snapshots, decider, streamId, loaded, events, toAppend, appended.nextRevision);
      return { streamId, revision: appended.nextRevision, position: appended.position, repeated: false };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || explicit !== undefined) throw error;
      if (attempt >= policy.maxAttempts) throw new ConcurrencyConflictError(streamId, attempt, error);
      await sleep(backoffDelay(policy, attempt));
    }
  }
}

// The metadata key of the request digest; runs recorded before it existed are not compared.
const FINGERPRINT_KEY = 'commandFingerprint';

function assertSameRequest(previousRun: RecordedEvent, streamId: string, commandId: string, fingerprint: string | undefined): void {
  const first = previousRun.metadata[FINGERPRINT_KEY];
  if (fingerprint !== undefined && typeof first === 'string' && first !== fingerprint) {
    throw new IdempotencyKeyReusedError(streamId, commandId);
  }
}

/**
 * Two racing requests with one key both decide before either appends; the store takes the
 * second append of the same event ids as a repeat of the first. When the requests differ,
 * the second must not be answered as if its own request had succeeded.
 */
async function assertOwnAppend(store: EventStore, streamId: string, appended: readonly EventToAppend[], commandId: string, fingerprint: string): Promise<void> {
  const firstId = appended[0]?.id;
  const stored = firstId === undefined ? undefined : await store.findEvent(streamId, firstId);
  if (stored) assertSameRequest(stored, streamId, commandId, fingerprint);
}

function metadataFor(context: CommandContext, commandId: string): EventMetadata {
  const metadata: Record<string, unknown> = { commandId, correlationId: context.correlationId ?? commandId };
  metadata.causationId = context.causationId ?? commandId;
  if (context.user !== undefined) metadata.user = context.user;
  if (context.fingerprint !== undefined) metadata[FINGERPRINT_KEY] = context.fingerprint;
  // The command's span context (traceparent) rides with its events, so what they cause (a
  // saga's commands) joins the same trace. Empty unless an OpenTelemetry SDK is installed.
  return { ...currentTraceCarrier(), ...metadata };
}
