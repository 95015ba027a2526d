import { StorageFaultError, EventIntegrityError } from '../errors/storage-errors';
import { toProblemDetails } from '../http/to-problem-details';
import { httpStatusOf } from '../http/http-status';
import { commitWithRecovery, type BatchSink } from '../projections/batch-recovery';
import { ParkingOrder } from '../projections/parking-order';
import { ProjectionHandlerError } from '../projections/projection-context';
import type { RecordedEvent } from '../events/event';
import { damageOf, isUnchecked, markDamaged } from './damaged-events';
import { checksumMismatch, eventChecksum, verifiedEvent } from './event-checksum';
import { positionFromSequence } from './position';

const stored = { id: 'e-1', streamId: 'Account-1', type: 'MoneyDeposited', data: '{"amount":500}', metadata: '{"commandId":"c-1"}' };
const where = { position: positionFromSequence(7), revision: 3n };

describe('event checksums', () => {
  it('is the same for the same stored text, and changes with any field', () => {
    const sum = eventChecksum(stored);
    expect(eventChecksum({ ...stored })).toBe(sum);
    expect(sum).toBeGreaterThanOrEqual(0);
    expect(sum).toBeLessThan(2 ** 32);
    for (const changed of [{ data: '{"amount":900}' }, { metadata: '{"commandId":"c-2"}' }, { id: 'e-2' }, { streamId: 'Account-2' }, { type: 'MoneyWithdrawn' }]) {
      expect(eventChecksum({ ...stored, ...changed })).not.toBe(sum);
    }
  });

  it('names the position, stream and revision of a mismatch, and accepts a legacy row without a checksum', () => {
    const sum = eventChecksum(stored);
    expect(checksumMismatch({ ...stored, ...where }, sum)).toBeUndefined();
    expect(checksumMismatch({ ...stored, ...where, data: '{"amount":900}' }, null)).toBeUndefined();
    const error = checksumMismatch({ ...stored, ...where, data: '{"amount":900}' }, sum);
    expect(error).toBeInstanceOf(EventIntegrityError);
    expect(error).toMatchObject({ code: 'EVENT_INTEGRITY_FAILED', position: '0000000000000007', streamId: 'Account-1', revision: 3n });
    expect(error?.message).toMatch(/position 0000000000000007 \(revision 3 of stream 'Account-1', MoneyDeposited\) failed its integrity check/);
  });

  it('hands a read event back as it is when its checksum matches, marked unchecked without one, and refuses or marks a mismatch', () => {
    const event: RecordedEvent = { ...where, id: stored.id, streamId: stored.streamId, type: stored.type, data: { amount: 500 }, metadata: { commandId: 'c-1' }, createdAt: new Date(0) };
    const sum = eventChecksum(stored);
    expect(verifiedEvent(event, stored, sum, false)).toBe(event);
    expect(isUnchecked(event)).toBe(false);
    const legacy = verifiedEvent(event, stored, null, false);
    expect(isUnchecked(legacy)).toBe(true);
    expect(legacy).toEqual(event);
    const changed = { data: '{"amount":900}', metadata: stored.metadata };
    expect(() => verifiedEvent(event, changed, sum, false)).toThrow(EventIntegrityError);
    const marked = verifiedEvent(event, changed, sum, true);
    expect(damageOf(marked)).toMatchObject({ code: 'EVENT_INTEGRITY_FAILED', position: '0000000000000007', revision: 3n });
    expect(damageOf(event)).toBeUndefined();
  });
});

describe('how integrity and storage errors reach a client', () => {
  it('answers a damaged event with 500 and its own code, and a full disk with 507, each with advice and no internals', () => {
    const damaged = checksumMismatch({ ...stored, ...where, data: '{"amount":900}' }, eventChecksum(stored)) as EventIntegrityError;
    expect(httpStatusOf(damaged)).toBe(500);
    const problem = toProblemDetails(damaged);
    expect(problem).toMatchObject({ status: 500, code: 'EVENT_INTEGRITY_FAILED' });
    expect(problem.detail).not.toContain('Account-1');
    const full = new StorageFaultError('STORAGE_FULL', 'disk full at /srv/data');
    expect(toProblemDetails(full)).toMatchObject({ status: 507, code: 'STORAGE_FULL' });
    expect(toProblemDetails(full).detail).not.toContain('/srv/data');
    expect(httpStatusOf(new StorageFaultError('STORAGE_WRITE_FAILED', 'EIO'))).toBe(503);
  });
});

describe('a damaged event in a projection batch', () => {
  const event = (sequence: number): RecordedEvent => ({
    id: `e-${sequence}`,
    type: 'Noted',
    data: {},
    streamId: 'Note-1',
    revision: BigInt(sequence - 1),
    position: positionFromSequence(sequence),
    metadata: {},
    createdAt: new Date(0),
  });

  it('is parked at once, without retries, after the events before it commit', async () => {
    const damage = new EventIntegrityError({ position: positionFromSequence(2), streamId: 'Note-1', revision: 1n, type: 'Noted', reason: 'a changed byte' });
    const batch = [event(1), markDamaged(event(2), damage), event(3)];
    expect(damageOf(batch[1] as RecordedEvent)).toBe(damage);
    expect(damageOf(batch[0] as RecordedEvent)).toBeUndefined();
    const committed: string[][] = [];
    const parked: { position: string; error: unknown; attempts: number }[] = [];
    let retries = 0;
    const sink: BatchSink = {
      commit: async ({ apply: events }) => {
        const bad = events.findIndex((candidate) => damageOf(candidate) !== undefined);
        if (bad >= 0) throw new ProjectionHandlerError('notes', bad, events[bad] as RecordedEvent, damageOf(events[bad] as RecordedEvent));
        committed.push(events.map((candidate) => candidate.position));
        await Promise.resolve();
      },
      park: async (poison, error, attempts) => {
        parked.push({ position: poison.position, error, attempts });
        await Promise.resolve();
      },
      beforeRetry: async () => {
        retries += 1;
        return Promise.resolve(true);
      },
    };
    const reached = await commitWithRecovery(sink, batch, positionFromSequence(3), { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 }, new ParkingOrder());
    expect(committed).toEqual([[positionFromSequence(1)]]);
    expect(parked).toEqual([{ position: positionFromSequence(2), error: damage, attempts: 1 }]);
    expect(retries).toBe(0);
    expect(reached).toBe(positionFromSequence(2));
  });
});
