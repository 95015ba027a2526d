import { DomainError } from '../errors/strata-error';
import { ConcurrencyConflictError, IdempotencyKeyReusedError, WrongExpectedRevisionError } from '../errors/concurrency-errors';
import type { Decider } from '../decider/decider';
import type { Event, EventToAppend, RecordedEvent } from '../events/event';
import type { AppendOptions, AppendResult } from '../event-store/event-store';
import { InMemoryEventStore } from '../event-store/in-memory-event-store';
import { handleCommand } from './handle-command';
import { backoffDelay } from './retry-policy';

type Counted = Event<'Incremented', { by: number }>;
type Increment = { by: number };

class Overdrawn extends DomainError {
  constructor() {
    super('OVER_LIMIT', 'The counter may not pass 10.');
  }
}

const counter: Decider<Increment, Counted, number> = {
  category: 'Counter',
  initialState: () => 0,
  evolve: (state, event) => state + event.data.by,
  decide: (command, state) => {
    if (state + command.by > 10) throw new Overdrawn();
    return command.by === 0 ? [] : [{ type: 'Incremented', data: { by: command.by } }];
  },
};

/** A store where another writer sneaks in before some of our appends. */
class RacingStore extends InMemoryEventStore {
  appends = 0;
  constructor(private readonly races: number) {
    super();
  }
  override async appendToStream<E extends Event>(
    streamId: string,
    events: readonly EventToAppend<E>[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    this.appends++;
    if (this.appends <= this.races) {
      await super.appendToStream(streamId, [{ type: 'Incremented', data: { by: 0 } }]);
    }
    return super.appendToStream(streamId, events, options);
  }
}

async function events(store: InMemoryEventStore, streamId: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of store.readStream(streamId)) out.push(event);
  return out;
}

const fastRetry = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

describe('handleCommand', () => {
  it('loads, folds, decides and appends, returning where the stream stands', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, counter, 'Counter-1', { by: 2 });
    const result = await handleCommand(store, counter, 'Counter-1', { by: 3 });
    expect(result).toMatchObject({ streamId: 'Counter-1', revision: 1n, repeated: false });
    const stored = await events(store, 'Counter-1');
    expect(stored.map((e) => e.data)).toEqual([{ by: 2 }, { by: 3 }]);
    expect(result.position).toBe(stored[1]?.position);
  });

  it('records correlation, causation, command id and user in metadata', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, counter, 'Counter-1', { by: 1 }, {
      commandId: 'cmd-1',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      user: 'ada',
    });
    const [event] = await events(store, 'Counter-1');
    expect(event?.metadata).toEqual({ commandId: 'cmd-1', correlationId: 'corr-1', causationId: 'cause-1', user: 'ada' });
  });

  it('returns the first result for a repeated command id, without appending, even after other writes', async () => {
    const store = new InMemoryEventStore();
    const first = await handleCommand(store, counter, 'Counter-1', { by: 1 }, { commandId: 'key-1' });
    await handleCommand(store, counter, 'Counter-1', { by: 2 });
    const again = await handleCommand(store, counter, 'Counter-1', { by: 1 }, { commandId: 'key-1' });
    expect(again).toEqual({ ...first, repeated: true });
    expect(await events(store, 'Counter-1')).toHaveLength(2);
  });

  describe('a command id sent again with another request', () => {
    it('is refused with IdempotencyKeyReusedError when the fingerprints differ, appending nothing', async () => {
      const store = new InMemoryEventStore();
      await handleCommand(store, counter, 'Counter-1', { by: 1 }, { commandId: 'key-1', fingerprint: 'first' });
      const again = handleCommand(store, counter, 'Counter-1', { by: 2 }, { commandId: 'key-1', fingerprint: 'second' });
      await expect(again).rejects.toThrow(IdempotencyKeyReusedError);
      await expect(again).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', streamId: 'Counter-1', commandId: 'key-1' });
      expect(await events(store, 'Counter-1')).toHaveLength(1);
    });

    it('is a repeat when the fingerprints match, and the fingerprint is kept in metadata', async () => {
      const store = new InMemoryEventStore();
      const first = await handleCommand(store, counter, 'Counter-1', { by: 1 }, { commandId: 'key-1', fingerprint: 'same' });
      const again = await handleCommand(store, counter, 'Counter-1', { by: 1 }, { commandId: 'key-1', fingerprint: 'same' });
      expect(again).toEqual({ ...first, repeated: true });
      expect((await events(store, 'Counter-1'))[0]?.metadata).toMatchObject({ commandId: 'key-1', commandFingerprint: 'same' });
    });

    it('is refused for the loser of two racing requests that differ, whose append the store took as a repeat', async () => {
      const store = new InMemoryEventStore();
      const outcomes = await Promise.allSettled([
        handleCommand(store, counter, 'Counter-1', { by: 1 }, { commandId: 'key-1', fingerprint: 'one' }),
        handleCommand(store, counter, 'Counter-1', { by: 2 }, { commandId: 'key-1', fingerprint: 'two' }),
      ]);
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = outcomes.find((outcome) => outcome.status === 'rejected');
      expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(IdempotencyKeyReusedError);
      expect(await events(store, 'Counter-1')).toHaveLength(1);
    });

    it('is a repeat when either run has no fingerprint (a run recorded before fingerprints, or a caller without one)', async () => {
      const store = new InMemoryEventStore();
      await handleCommand(store, counter, 'Counter-1', { by: 1 }, { commandId: 'old-run' });
      expect(await handleCommand(store, counter, 'Counter-1', { by: 1 }, { commandId: 'old-run', fingerprint: 'new' })).toMatchObject({ repeated: true });
      await handleCommand(store, counter, 'Counter-1', { by: 1 }, { commandId: 'new-run', fingerprint: 'new' });
      expect(await handleCommand(store, counter, 'Counter-1', { by: 1 }, { commandId: 'new-run' })).toMatchObject({ repeated: true });
      expect(await events(store, 'Counter-1')).toHaveLength(2);
    });
  });

  it('derives event ids from the command id, so two racing repeats append once', async () => {
    const store = new InMemoryEventStore();
    const [a, b] = await Promise.all([
      handleCommand(store, counter, 'Counter-1', { by: 1 }, { commandId: 'key-1' }),
      handleCommand(store, counter, 'Counter-1', { by: 1 }, { commandId: 'key-1' }),
    ]);
    expect(a?.revision).toBe(0n);
    expect(b?.revision).toBe(0n);
    expect(await events(store, 'Counter-1')).toHaveLength(1);
  });

  it('re-reads and decides again after a concurrent write', async () => {
    const store = new RacingStore(2);
    const result = await handleCommand(store, counter, 'Counter-1', { by: 5 }, { retry: fastRetry });
    expect(store.appends).toBe(3);
    expect(result.revision).toBe(2n);
  });

  it('never retries an explicit expected revision', async () => {
    const store = new RacingStore(1);
    await expect(
      handleCommand(store, counter, 'Counter-1', { by: 5 }, { expectedRevision: 'no_stream', retry: fastRetry }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(store.appends).toBe(1);
  });

  it('refuses a stale explicit revision before deciding', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, counter, 'Counter-1', { by: 9 });
    // Deciding on this state would raise the domain error; the stale revision wins.
    await expect(handleCommand(store, counter, 'Counter-1', { by: 5 }, { expectedRevision: 3n })).rejects.toMatchObject({
      code: 'WRONG_EXPECTED_REVISION',
      expected: 3n,
      actual: 0n,
    });
  });

  it('gives up with ConcurrencyConflictError when every attempt conflicts', async () => {
    const store = new RacingStore(100);
    const error = await handleCommand(store, counter, 'Counter-1', { by: 1 }, { retry: fastRetry }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyConflictError);
    expect(error).toMatchObject({ attempts: 4, streamId: 'Counter-1' });
    expect(store.appends).toBe(4);
  });

  it('lets a domain error through and appends nothing', async () => {
    const store = new InMemoryEventStore();
    await expect(handleCommand(store, counter, 'Counter-1', { by: 11 })).rejects.toBeInstanceOf(Overdrawn);
    expect(await store.readAll()).toMatchObject({ events: [] });
  });

  it('appends nothing when the decider decides nothing', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, counter, 'Counter-1', { by: 1 });
    const result = await handleCommand(store, counter, 'Counter-1', { by: 0 });
    expect(result.revision).toBe(0n);
    expect(await events(store, 'Counter-1')).toHaveLength(1);
  });
});

describe('backoffDelay', () => {
  it('stays within the capped exponential step', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 4, maxDelayMs: 50 };
    expect(backoffDelay(policy, 1, () => 0.999)).toBe(3);
    expect(backoffDelay(policy, 3, () => 0.999)).toBe(15);
    expect(backoffDelay(policy, 9, () => 0.999)).toBe(49);
    expect(backoffDelay(policy, 9, () => 0)).toBe(0);
  });
});
