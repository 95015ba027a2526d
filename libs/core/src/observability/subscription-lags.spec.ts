import { InMemoryEventStore } from '../event-store/in-memory-event-store';
import type { Projections } from '../projections/projections.service';
import type { ProjectionStatus } from '../projections/projection-status';
import type { Sagas } from '../sagas/sagas.service';
import { SubscriptionLags } from './subscription-lags';

describe('SubscriptionLags', () => {
  it('reads lag in events, and in seconds as the age of the oldest event not taken in', async () => {
    const events = new InMemoryEventStore();
    await events.appendToStream('S-1', [{ type: 'A', data: {} }]);
    await events.appendToStream('S-1', [{ type: 'B', data: {} }]);
    const page = await events.readAll();
    const [first, second] = page.events;
    const status = (checkpoint: string | null): ProjectionStatus => ({
      name: 'p', version: 1, state: 'live', checkpoint: checkpoint as never, head: second?.position ?? null,
      lag: events.eventsBetween(checkpoint as never, second?.position ?? null), parked: 2, holdsLease: true, lastError: null,
    });
    const now = (second?.createdAt.getTime() ?? 0) + 5_000;
    const lagsFor = (checkpoint: string | null) =>
      new SubscriptionLags(events, { list: async () => [status(checkpoint)] } as unknown as Projections, { list: async () => [] } as unknown as Sagas).read(now);

    expect(await lagsFor(first?.position ?? null)).toEqual([{ kind: 'projection', name: 'p', state: 'live', events: 1, seconds: 5, parked: 2 }]);
    expect((await lagsFor(null))[0]).toMatchObject({ events: 2, seconds: (now - (first?.createdAt.getTime() ?? 0)) / 1000 });
    expect((await lagsFor(second?.position ?? null))[0]).toMatchObject({ events: 0, seconds: 0 });
  });
});
