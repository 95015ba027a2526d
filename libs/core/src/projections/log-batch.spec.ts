import { InMemoryEventStore } from '../event-store/in-memory-event-store';
import type { ReadAllOptions, ReadAllPage } from '../event-store/event-store';
import { matchesFilter } from '../event-store/read-all-filter';
import { readBatch } from './log-batch';

/**
 * A store that cuts a page before it filters, as KurrentDB does for a namespace with an
 * event-type filter: a full page can come back with no event in it and a next position.
 */
class FilterAfterPagingStore extends InMemoryEventStore {
  override async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const { filter, ...unfiltered } = options;
    const page = await super.readAll(unfiltered);
    return { events: page.events.filter((event) => matchesFilter(filter, event.type, event.streamId)), nextPosition: page.nextPosition };
  }
}

describe('reading a batch of the log for a projection', () => {
  it('reads past pages in which the filter accepted nothing: 12 ignored events, then 1 counted, batch size 10', async () => {
    const store = new FilterAfterPagingStore();
    for (let n = 1; n <= 12; n++) await store.appendToStream(`Other-${n}`, [{ type: 'Ignored', data: { n } }]);
    const counted = await store.appendToStream('Counter-1', [{ type: 'Counted', data: { n: 13 } }]);

    const batch = await readBatch(store, null, 10, ['Counted']);

    expect(batch.events.map((event) => event.data['n'])).toEqual([13]);
    expect(batch.target).toBe(counted.position);
  });

  it('reads past twice a batch of ignored events after a checkpoint, and moves to the head at the end', async () => {
    const store = new FilterAfterPagingStore();
    const first = await store.appendToStream('Counter-1', [{ type: 'Counted', data: { n: 0 } }]);
    for (let n = 1; n <= 20; n++) await store.appendToStream(`Other-${n}`, [{ type: 'Ignored', data: { n } }]);
    const head = await store.headPosition();

    const batch = await readBatch(store, first.position, 10, ['Counted']);

    expect(batch.events).toEqual([]);
    expect(batch.reachedEnd).toBe(true);
    expect(batch.target).toBe(head);
  });
});
