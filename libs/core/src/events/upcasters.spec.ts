import type { RecordedEvent } from './event';
import { Upcasters } from './upcasters';
import { positionFromSequence } from '../event-store/position';

const recorded = (data: Record<string, unknown>, schemaVersion?: number): RecordedEvent => ({
  id: 'e-1',
  type: 'Opened',
  data,
  streamId: 'A-1',
  revision: 0n,
  position: positionFromSequence(1),
  metadata: schemaVersion === undefined ? {} : { schemaVersion },
  createdAt: new Date(0),
});

describe('Upcasters', () => {
  const upcasters = new Upcasters([
    { eventType: 'Opened', fromVersion: 1, upcast: (data) => ({ ...data, currency: 'EUR' }) },
    { eventType: 'Opened', fromVersion: 2, upcast: ({ name, ...rest }) => ({ ...rest, owner: name }) },
  ]);

  it('lifts an old event through every step, in order', () => {
    const event = upcasters.upcast(recorded({ name: 'ada' }));
    expect(event.data).toEqual({ currency: 'EUR', owner: 'ada' });
    expect(event.metadata.schemaVersion).toBe(3);
  });

  it('starts from the recorded schema version and leaves current events alone', () => {
    expect(upcasters.upcast(recorded({ name: 'bob', currency: 'USD' }, 2)).data).toEqual({ currency: 'USD', owner: 'bob' });
    const current = recorded({ owner: 'cy' }, 3);
    expect(upcasters.upcast(current)).toBe(current);
  });

  it('refuses two upcasters for the same step', () => {
    expect(() => upcasters.register({ eventType: 'Opened', fromVersion: 1, upcast: (d) => d })).toThrow(/Two upcasters/);
  });
});
