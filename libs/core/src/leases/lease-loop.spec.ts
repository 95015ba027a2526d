import { InMemoryDocumentStore } from '../documents/in-memory-document-store';
import { StrataError } from '../errors/strata-error';
import { Lease, newLeaseOwner } from '../projections/projection-lease';
import { eventually } from '../testing/projection-test-kit';
import { LeaseLoop, type LeaseLoopWork } from './lease-loop';

const SETTINGS = { idleMs: 5, standbyMs: 10, failureBaseDelayMs: 1, failureMaxDelayMs: 4 };
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('LeaseLoop', () => {
  let documents: InMemoryDocumentStore;
  const loops: LeaseLoop[] = [];
  const loop = (work: LeaseLoopWork, ttlMs = 1_000): LeaseLoop => {
    const created = new LeaseLoop(new Lease(documents, 'worker', newLeaseOwner(), ttlMs), SETTINGS, work, quiet);
    loops.push(created);
    created.start();
    return created;
  };

  beforeEach(() => {
    documents = new InMemoryDocumentStore();
  });
  afterEach(async () => {
    await Promise.all(loops.splice(0).map((created) => created.stop()));
    await documents.close();
  });

  it('turns in one process at a time; the other stands by and takes over, once released, after its own start-up', async () => {
    const turns = { first: 0, second: 0 };
    const acquired: string[] = [];
    let standbys = 0;
    const first = loop({ onAcquired: async () => void acquired.push('first'), turn: async () => (turns.first++, false) });
    await eventually(() => turns.first > 0, 'the first loop turns');
    const second = loop({ onAcquired: async () => void acquired.push('second'), turn: async () => (turns.second++, false), onStandby: () => void standbys++ });
    await eventually(() => standbys >= 2, 'the second loop stood by twice');
    expect({ first: first.holdsLease, second: second.holdsLease, secondTurns: turns.second }).toEqual({ first: true, second: false, secondTurns: 0 });

    await first.stop();
    await eventually(() => turns.second > 0, 'the second loop took over');
    expect(acquired).toEqual(['first', 'second']);
    expect((await new Lease(documents, 'worker', 'reader', 1_000).read())?.owner).not.toBeNull();
  });

  it('backs off after a failed turn, counting failures, and takes the lease again on a reacquire verdict', async () => {
    const seen: number[] = [];
    let acquisitions = 0;
    let turns = 0;
    loop({
      onAcquired: async () => void acquisitions++,
      turn: async () => {
        turns += 1;
        if (turns <= 3) throw new Error('store down');
        if (turns === 4) throw new StrataError('CHECKPOINT_MOVED', 'reload');
        return false;
      },
      onFailure: (error, failures) => {
        seen.push(failures);
        return StrataError.isStrataError(error) ? 'reacquire' : 'backoff';
      },
    });
    await eventually(() => turns >= 5, 'the loop got past its failures');
    // Failures count until a turn succeeds, across a reacquire.
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(acquisitions).toBe(2);
  });

  it('stands by when the lease is taken from it, and takes it back once it is given back; a stop ends it and releases', async () => {
    let acquisitions = 0;
    let standbys = 0;
    let stopped = false;
    const worker = loop(
      { onAcquired: async () => void acquisitions++, turn: async () => false, onStandby: () => void standbys++, onStopped: async () => void (stopped = true) },
      300,
    );
    await eventually(() => worker.holdsLease, 'the loop holds the lease');
    const operator = new Lease(documents, 'worker', newLeaseOwner(), 300);
    await operator.steal();
    await eventually(() => !worker.holdsLease && standbys > 0, 'the loop found out at its renewal and stood by');
    await operator.release();
    await eventually(() => worker.holdsLease && acquisitions === 2, 'the loop took the lease back');
    await worker.stop();
    expect({ stopped, holds: worker.holdsLease, owner: (await operator.read())?.owner }).toEqual({ stopped: true, holds: false, owner: null });
  });
});
