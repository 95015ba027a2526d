import { WrongExpectedRevisionError } from '../errors/concurrency-errors';
import { StrataError } from '../errors/strata-error';
import type { RecordedEvent } from '../events/event';
import type { EventStore } from '../event-store/event-store';
import { event } from './event-store-contract-kit';

/** The expected-revision modes of the event store contract: each succeeds where it should and names both values where it fails. */
export function describeExpectedRevisionCases(current: () => EventStore, stream: () => string, read: (id: string) => Promise<RecordedEvent[]>): void {
  describe('expected revision', () => {
    it("'no_stream' succeeds only on a new stream", async () => {
      const id = stream();
      await expect(current().appendToStream(id, [event('A')], { expectedRevision: 'no_stream' })).resolves.toMatchObject({
        nextRevision: 0n,
      });
      const error = await current().appendToStream(id, [event('B')], { expectedRevision: 'no_stream' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId: id, expected: 'no_stream', actual: 0n });
    });

    it("'stream_exists' succeeds only on an existing stream", async () => {
      const id = stream();
      const error = await current().appendToStream(id, [event('A')], { expectedRevision: 'stream_exists' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
      expect(StrataError.isStrataError(error)).toBe(true);
      await current().appendToStream(id, [event('A')]);
      await expect(current().appendToStream(id, [event('B')], { expectedRevision: 'stream_exists' })).resolves.toMatchObject({
        nextRevision: 1n,
      });
    });

    it('an exact revision must match, and a mismatch names both values', async () => {
      const id = stream();
      await current().appendToStream(id, [event('A'), event('B')]);
      await expect(current().appendToStream(id, [event('C')], { expectedRevision: 1n })).resolves.toMatchObject({
        nextRevision: 2n,
      });
      const error = await current().appendToStream(id, [event('D')], { expectedRevision: 1n }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ expected: 1n, actual: 2n, code: 'WRONG_EXPECTED_REVISION' });
      expect((await read(id)).length).toBe(3);
    });

    it("'any' appends whatever the state", async () => {
      const id = stream();
      await current().appendToStream(id, [event('A')], { expectedRevision: 'any' });
      await current().appendToStream(id, [event('B')], { expectedRevision: 'any' });
      expect((await read(id)).map((e) => e.type)).toEqual(['A', 'B']);
    });
  });
}
