import { BACKWARDS, END, NO_STREAM, jsonEvent, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import { Logger, type LoggerService } from '@nestjs/common';
import { StrataError } from '@strata/core';
import { SnapshotStore, type Snapshot, replacesSnapshot } from '@strata/core/adapter';
import { isAppendTooLarge, isMissingStream, isWrongExpectedVersion, storeError } from './kurrentdb-errors';
import { StreamNamespace } from './stream-namespace';

/**
 * Snapshots must never show up where events are read (`readAll`, the live subscription, and so
 * projections and sagas). Without a namespace those reads leave `$` event types out on the
 * server; with one they read only streams that start with it, which a snapshot stream does not.
 */
export const SNAPSHOT_EVENT_TYPE = '$strata-snapshot';
/** The snapshot stream of stream `S` is `strata-snapshot-S`, in front of the namespace, if any. */
export const SNAPSHOT_STREAM_PREFIX = 'strata-snapshot-';
/** Saves that keep losing the race to other writers give way to them after this many tries. */
const SAVE_ATTEMPTS = 3;

export interface KurrentDbSnapshotStoreOptions {
  /** The event store's namespace, so stores sharing a server keep their snapshots apart too. */
  readonly namespace?: string;
  /** Whether closing the store disposes the client; false when the event store shares it. */
  readonly ownsClient?: boolean;
  readonly logger?: LoggerService;
}

/** Streams whose snapshot the server refused as too large, remembered at most this many. */
const OVERSIZED_REMEMBERED = 10_000;

/** The newest event of a snapshot stream: its revision there, and what it holds. */
interface StoredSnapshot {
  readonly revision: bigint;
  readonly data: unknown;
}

/**
 * Snapshots on KurrentDB: a stream per aggregate stream, limited to one event (`$maxCount` 1),
 * read backwards from its end. A save appends with the revision it read, so concurrent saves
 * are ordered by the server, and never replaces a later snapshot of the same version.
 */
export class KurrentDbSnapshotStore extends SnapshotStore {
  private readonly namespace: StreamNamespace;
  private readonly logger: LoggerService;
  /** Streams whose state is too large for one append: saving them again would fail again, on every command. */
  private readonly oversized = new Set<string>();
  private closed = false;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly options: KurrentDbSnapshotStoreOptions = {},
  ) {
    super();
    this.namespace = new StreamNamespace(options.namespace);
    this.logger = options.logger ?? new Logger('KurrentDB snapshots');
  }

  override async load(streamId: string): Promise<Snapshot | undefined> {
    const stored = await this.newest(streamId);
    return stored && toSnapshot(stored.data, streamId);
  }

  /** Saves a snapshot; one larger than the server's maximum append size is skipped with a warning, since loading the stream still works. */
  override async save(snapshot: Snapshot): Promise<void> {
    if (this.oversized.has(snapshot.streamId)) return;
    const name = this.streamName(snapshot.streamId);
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
      const stored = await this.newest(snapshot.streamId);
      if (stored && !replacesSnapshot(readable(stored.data, snapshot.streamId), snapshot)) return;
      try {
        // The first snapshot of a stream limits it to one event; older ones are scavenged.
        if (!stored) await this.client.setStreamMetadata(name, { maxCount: 1 });
        await this.client.appendToStream(name, jsonEvent({ type: SNAPSHOT_EVENT_TYPE, data: toData(snapshot) }), {
          streamState: stored ? stored.revision : NO_STREAM,
        });
        return;
      } catch (error) {
        if (isAppendTooLarge(error)) {
          if (this.oversized.size < OVERSIZED_REMEMBERED) this.oversized.add(snapshot.streamId);
          this.logger.warn(`The snapshot of '${snapshot.streamId}' at revision ${snapshot.revision} is larger than KurrentDB's maximum append size; it is not saved, and this process saves none for that stream any more. ${storeError(error, 'save it').message}`);
          return;
        }
        if (!isWrongExpectedVersion(error)) throw storeError(error, `save the snapshot of '${snapshot.streamId}'`, snapshot.streamId);
      }
    }
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.options.ownsClient) await this.client.dispose();
  }

  private streamName(streamId: string): string {
    return `${SNAPSHOT_STREAM_PREFIX}${this.namespace.qualify(streamId)}`;
  }

  private async newest(streamId: string): Promise<StoredSnapshot | undefined> {
    if (this.closed) throw new StrataError('STORE_CLOSED', 'The KurrentDB snapshot store is closed; the app is shutting down.');
    const name = this.streamName(streamId);
    try {
      for await (const resolved of this.client.readStream(name, { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) {
        // Anything but a JSON event there is not a snapshot Strata wrote: it reads as damaged.
        if (resolved.event) return { revision: resolved.event.revision, data: resolved.event.isJson ? resolved.event.data : undefined };
      }
    } catch (error) {
      if (isMissingStream(error)) return undefined;
      throw storeError(error, `read the snapshot of '${streamId}'`, streamId);
    }
    return undefined;
  }
}

function toData(snapshot: Snapshot): Record<string, unknown> {
  const { streamId, revision, eventId, snapshotVersion, state } = snapshot;
  // JSON has no bigint: the revision travels as decimal text.
  return { streamId, revision: revision.toString(), eventId, snapshotVersion, state };
}

function toSnapshot(data: unknown, streamId: string): Snapshot {
  const record = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const { revision, eventId, snapshotVersion } = record;
  if (
    record['streamId'] !== streamId ||
    typeof revision !== 'string' ||
    !/^\d+$/.test(revision) ||
    typeof eventId !== 'string' ||
    !Number.isSafeInteger(snapshotVersion) ||
    !('state' in record)
  ) {
    throw new StrataError('UNREADABLE_SNAPSHOT', `The snapshot of '${streamId}' in KurrentDB does not have the shape Strata writes; it is ignored until the next one replaces it.`);
  }
  return { streamId, revision: BigInt(revision), eventId, snapshotVersion: snapshotVersion as number, state: record['state'] };
}

/** The stored snapshot, or undefined when it is damaged: then any new one may replace it. */
function readable(data: unknown, streamId: string): Snapshot | undefined {
  try {
    return toSnapshot(data, streamId);
  } catch {
    return undefined;
  }
}
