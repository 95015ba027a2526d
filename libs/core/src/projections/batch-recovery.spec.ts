import { positionFromSequence, type Position } from '../event-store/position';
import type { RecordedEvent } from '../events/event';
import { commitWithRecovery, type BatchSink } from './batch-recovery';
import { ParkingOrder, type OrderedBatch } from './parking-order';
import { ProjectionHandlerError } from './projection-context';

const event = (sequence: number, streamId: string): RecordedEvent => ({
  id: `e${sequence}`,
  type: 'Noted',
  data: { sequence },
  streamId,
  revision: 0n,
  position: positionFromSequence(sequence),
  metadata: {},
  createdAt: new Date(0),
});

/** A sink that fails on the events in `poison` and records what each commit applied and held. */
function recordingSink(poison: Set<string>) {
  const commits: { apply: string[]; hold: string[]; target: Position }[] = [];
  const parked: string[] = [];
  const sink: BatchSink = {
    commit: async ({ apply, hold }: OrderedBatch, target) => {
      const bad = apply.findIndex((candidate) => poison.has(candidate.id));
      if (bad >= 0) throw new ProjectionHandlerError('notes', bad, apply[bad] as RecordedEvent, new Error('poison'));
      commits.push({ apply: apply.map((e) => e.id), hold: hold.map((e) => e.id), target });
      await Promise.resolve();
    },
    park: async (failed) => {
      parked.push(failed.id);
      await Promise.resolve();
    },
    beforeRetry: async () => Promise.resolve(true),
  };
  return { sink, commits, parked };
}

const policy = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 };

describe('commitWithRecovery in parking order', () => {
  it('commits what comes before a poison event, parks it, and from then on holds its stream while others apply', async () => {
    const { sink, commits, parked } = recordingSink(new Set(['e3']));
    const order = new ParkingOrder();
    const first = [event(1, 'A'), event(2, 'B'), event(3, 'A'), event(4, 'B'), event(5, 'A')];
    expect(await commitWithRecovery(sink, first, positionFromSequence(5), policy, order)).toBe(positionFromSequence(3));
    expect(parked).toEqual(['e3']);
    expect(order.holds('A')).toBe(true);
    // The caller reads on after the parked event.
    expect(await commitWithRecovery(sink, first.slice(3), positionFromSequence(5), policy, order)).toBe(positionFromSequence(5));
    expect(commits).toEqual([
      { apply: ['e1', 'e2'], hold: [], target: positionFromSequence(2) },
      { apply: ['e4'], hold: ['e5'], target: positionFromSequence(5) },
    ]);
  });

  it('orders by the key function, and falls back to the stream when it throws', () => {
    const order = new ParkingOrder((recorded) => {
      if (recorded.streamId === 'broken') throw new Error('no key');
      return `group-${recorded.streamId.slice(0, 1)}`;
    });
    order.hold('group-A');
    const split = order.split([event(1, 'A1'), event(2, 'A2'), event(3, 'B1'), event(4, 'broken')]);
    expect({ apply: split.apply.map((e) => e.id), hold: split.hold.map((e) => e.id) }).toEqual({ apply: ['e3', 'e4'], hold: ['e1', 'e2'] });
    expect(order.partitionOf(event(5, 'broken'))).toBe('broken');
  });
});
