import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  AccessDeniedError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendStreamState,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';

/**
 * A stand-in for `KurrentDBClient` at the client boundary, modelling what a KurrentDB server or
 * cluster does that no test here can make a real one do: a follower that has not caught up,
 * foreign events written as bytes, the append size limit, a restart that forgets recent
 * writes' ids, access refused. It keeps the log in memory; only what the adapter calls exists.
 */

interface StoredEvent {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly revision: bigint;
  readonly position: { commit: bigint; prepare: bigint };
  readonly data: unknown;
  readonly metadata: unknown;
  readonly isJson: boolean;
  readonly created: Date;
}

interface ProposedEvent {
  readonly id?: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: unknown;
  readonly contentType?: string;
}

interface Filter {
  readonly filterOn: 'streamName' | 'eventType';
  readonly regex?: string;
  readonly prefixes?: string[];
}

/** One request the adapter sent, to count round trips and read its options. */
export interface Request {
  readonly op: 'append' | 'readStream' | 'readAll' | 'setStreamMetadata';
  readonly stream?: string;
  readonly options: Record<string, unknown>;
}

export class StandInKurrentDb {
  readonly log: StoredEvent[] = [];
  readonly requests: Request[] = [];
  /** Events a follower has not received yet: reads that do not require the leader miss the newest this many. */
  followerLag = 0;
  /** The server's limit on one append's size (bytes of data and metadata), 1 MiB by default. */
  maxAppendSize = 1024 * 1024;
  readonly deleted = new Set<string>();
  accessDenied = false;
  /** Ids the server remembers for idempotent 'any' appends; a restart forgets them. */
  private remembered = new Set<string>();

  client(): KurrentDBClient {
    return this as unknown as KurrentDBClient;
  }

  /** A restart: the in-memory idempotency cache is gone, the log is not. */
  restart(): void {
    this.remembered = new Set();
  }

  /** Another application writes an event with bytes that are not JSON (or JSON flags that lie). */
  writeForeign(streamId: string, type: string, data: Uint8Array | string, metadata?: Uint8Array): void {
    this.store(streamId, [{ id: crypto.randomUUID(), type, data, ...(metadata ? { metadata } : {}) }], typeof data === 'string');
  }

  async appendToStream(streamName: string, events: ProposedEvent | ProposedEvent[], options: { streamState?: AppendStreamState } = {}): Promise<{ success: true; nextExpectedRevision: bigint; position: { commit: bigint; prepare: bigint } }> {
    const batch = Array.isArray(events) ? events : [events];
    const streamState = options.streamState ?? ANY;
    this.requests.push({ op: 'append', stream: streamName, options: { streamState } });
    if (this.accessDenied) throw new AccessDeniedError(undefined, `Access denied for stream ${streamName}`);
    if (this.deleted.has(streamName)) throw StreamDeletedError.fromStreamName(streamName);
    const size = batch.reduce((sum, event) => sum + JSON.stringify(event.data).length + JSON.stringify(event.metadata ?? {}).length, 0);
    if (size > this.maxAppendSize) throw MaxAppendSizeExceededError.fromMaxAppendSize(this.maxAppendSize);
    const stream = this.stream(streamName);
    const current = stream.length === 0 ? -1n : (stream[stream.length - 1] as StoredEvent).revision;
    const ids = batch.map((event) => event.id);
    // Exact idempotency for an exact revision: the same ids at the positions after it.
    if (typeof streamState === 'bigint' || streamState === NO_STREAM) {
      const after = typeof streamState === 'bigint' ? streamState : -1n;
      const there = stream.slice(Number(after + 1n), Number(after + 1n) + batch.length);
      if (there.length === batch.length && there.every((event, i) => event.id === ids[i])) return this.answer(there);
    } else if (ids.every((id) => id !== undefined && this.remembered.has(id))) {
      // Best effort for 'any' and 'stream_exists': only while the ids are in the cache.
      return this.answer(stream.filter((event) => ids.includes(event.id)));
    }
    const holds = streamState === ANY || (streamState === STREAM_EXISTS ? current >= 0n : streamState === NO_STREAM ? current === -1n : streamState === current);
    if (!holds) throw new WrongExpectedVersionError(undefined, { streamName, expected: streamState, current: current < 0n ? NO_STREAM : current });
    return this.answer(this.store(streamName, batch, false));
  }

  async *readStream(streamName: string, options: { fromRevision?: bigint | typeof START | typeof END; maxCount?: number | bigint; direction?: string; requiresLeader?: boolean } = {}): AsyncGenerator<{ event: unknown }> {
    this.requests.push({ op: 'readStream', stream: streamName, options: { ...options } });
    const visible = this.visible(options.requiresLeader).filter((event) => event.streamId === streamName);
    if (visible.length === 0) throw new StreamNotFoundError(undefined, streamName);
    const backwards = options.direction === BACKWARDS;
    const from = options.fromRevision ?? (backwards ? END : START);
    let events = backwards ? [...visible].reverse() : visible;
    if (typeof from === 'bigint') events = events.filter((event) => (backwards ? event.revision <= from : event.revision >= from));
    for (const event of events.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER))) yield { event: this.asRead(event) };
  }

  async *readAll(options: { fromPosition?: { commit: bigint; prepare: bigint } | typeof START | typeof END; maxCount?: number | bigint; direction?: string; filter?: Filter; requiresLeader?: boolean } = {}): AsyncGenerator<{ event: unknown }> {
    this.requests.push({ op: 'readAll', options: { ...options } });
    const backwards = options.direction === BACKWARDS;
    const from = options.fromPosition ?? (backwards ? END : START);
    let events = this.visible(options.requiresLeader).filter((event) => passes(options.filter, event));
    if (backwards) events = [...events].reverse();
    // A backwards read starts before `from`; a forwards one at it.
    if (typeof from === 'object') events = events.filter((event) => (backwards ? event.position.commit < from.commit : event.position.commit >= from.commit));
    for (const event of events.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER))) yield { event: this.asRead(event) };
  }

  async setStreamMetadata(streamName: string, metadata: unknown): Promise<void> {
    this.requests.push({ op: 'setStreamMetadata', stream: streamName, options: { metadata } });
  }

  subscribeToAll(): { on(): void; unsubscribe(): Promise<void> } {
    return { on: () => undefined, unsubscribe: async () => undefined };
  }

  async dispose(): Promise<void> {}

  private stream(streamName: string): StoredEvent[] {
    return this.log.filter((event) => event.streamId === streamName);
  }

  private visible(requiresLeader: boolean | undefined): StoredEvent[] {
    return requiresLeader === true ? this.log : this.log.slice(0, Math.max(0, this.log.length - this.followerLag));
  }

  private store(streamName: string, batch: readonly ProposedEvent[], isJson: boolean): StoredEvent[] {
    const stream = this.stream(streamName);
    return batch.map((event, i) => {
      const offset = BigInt((this.log.length + 1) * 100);
      const stored: StoredEvent = {
        streamId: streamName,
        id: event.id ?? crypto.randomUUID(),
        type: event.type,
        revision: BigInt(stream.length + i),
        position: { commit: offset, prepare: offset },
        data: event.data,
        metadata: event.metadata,
        isJson: isJson || event.contentType === undefined || event.contentType === 'application/json',
        created: new Date(),
      };
      this.log.push(stored);
      this.remembered.add(stored.id);
      return stored;
    });
  }

  /** The server answers with the transaction's position, which is the first event's, and the last revision. */
  private answer(written: readonly StoredEvent[]): { success: true; nextExpectedRevision: bigint; position: { commit: bigint; prepare: bigint } } {
    const first = written[0] as StoredEvent;
    const last = written[written.length - 1] as StoredEvent;
    return { success: true, nextExpectedRevision: last.revision, position: first.position };
  }

  /** As the client hands events over: JSON parsed, other bytes as they are. */
  private asRead(event: StoredEvent): Record<string, unknown> {
    const data = event.data instanceof Uint8Array || typeof event.data === 'string' ? event.data : (JSON.parse(JSON.stringify(event.data ?? {})) as unknown);
    return { ...event, data, metadata: event.metadata === undefined ? undefined : event.metadata };
  }
}

function passes(filter: Filter | undefined, event: StoredEvent): boolean {
  if (!filter) return true;
  const subject = filter.filterOn === 'streamName' ? event.streamId : event.type;
  if (filter.prefixes) return filter.prefixes.some((prefix) => subject.startsWith(prefix));
  return new RegExp(filter.regex ?? '').test(subject);
}
