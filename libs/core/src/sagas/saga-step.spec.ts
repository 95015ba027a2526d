import { positionFromSequence } from '../event-store/position';
import type { Decider } from '../decider/decider';
import type { Event, RecordedEvent } from '../events/event';
import { commandFor } from './decider-saga-command';
import { sagaStreamId, type SagaInstanceDocument } from './saga-documents';
import type { SagaHandler } from './saga-handler';
import type { SagaReaction } from './saga-messages';
import type { SagaOptions } from './saga-options';
import { instanceIdOf, sagaCommandId, sagaStep } from './saga-step';

const NOW = Date.UTC(2026, 0, 1);
const options: SagaOptions = {
  name: 'order',
  version: 3,
  handles: ['OrderPlaced', 'OrderPaid', 'OrderExpired'],
  startedBy: ['OrderPlaced'],
  commands: { Ship: () => ({}), Remind: () => ({}) },
};

function recorded(type: string, sequence: number, data: Record<string, unknown> = { orderId: 'o1' }, streamId = 'Order-o1'): RecordedEvent {
  return { id: `e${sequence}`, type, data, streamId, revision: BigInt(sequence - 1), position: positionFromSequence(sequence), metadata: { correlationId: 'corr' }, createdAt: new Date(NOW) };
}

function saga(reaction: (state: string[], event: RecordedEvent) => SagaReaction<string[]>): SagaHandler<string[]> {
  return {
    correlate: (event) => (typeof event.data['orderId'] === 'string' ? event.data['orderId'] : null),
    initialState: () => [],
    handle: (state, event) => reaction(state, event),
  };
}

const remember = saga((state, event) => {
  state.push(event.type);
  return { state };
});

function stored(overrides: Partial<SagaInstanceDocument> = {}): SagaInstanceDocument {
  return { _id: 'order/o1', saga: 'order', instanceId: 'o1', version: 3, status: 'active', state: ['OrderPlaced'], lastPosition: positionFromSequence(1), startedAt: 'then', updatedAt: 'then', ...overrides };
}

describe('sagaStep', () => {
  it('starts an instance on a starting event, with the state the handler returned', async () => {
    const step = await sagaStep(options, remember, 'o1', null, recorded('OrderPlaced', 1), NOW);
    expect(step?.instance).toEqual({
      _id: 'order/o1',
      saga: 'order',
      instanceId: 'o1',
      version: 3,
      status: 'active',
      state: ['OrderPlaced'],
      lastPosition: positionFromSequence(1),
      startedAt: new Date(NOW).toISOString(),
      updatedAt: new Date(NOW).toISOString(),
    });
  });

  it('ignores an event that does not start an instance when there is none', async () => {
    expect(await sagaStep(options, remember, 'o1', null, recorded('OrderPaid', 2), NOW)).toBeNull();
  });

  it('ignores a redelivered event and anything after the instance is done', async () => {
    expect(await sagaStep(options, remember, 'o1', stored(), recorded('OrderPlaced', 1), NOW)).toBeNull();
    expect(await sagaStep(options, remember, 'o1', stored({ status: 'done' }), recorded('OrderPaid', 2), NOW)).toBeNull();
  });

  it('hands the handler a copy of the stored state, so mutating it changes nothing stored', async () => {
    const instance = stored();
    const step = await sagaStep(options, remember, 'o1', instance, recorded('OrderPaid', 2), NOW);
    expect(step?.instance.state).toEqual(['OrderPlaced', 'OrderPaid']);
    expect(instance.state).toEqual(['OrderPlaced']);
  });

  it('derives command ids from the instance, the triggering position and the index, with the correlation id', async () => {
    const shipTwice = saga((state) => ({ state, commands: [{ type: 'Ship', data: { n: 1 } }, { type: 'Ship', data: { n: 2 } }] }));
    const event = recorded('OrderPlaced', 7);
    const step = await sagaStep(options, shipTwice, 'o1', null, event, NOW);
    expect(step?.outbox.map((entry) => [entry._id, entry.command, entry.correlationId, entry.causationId])).toEqual([
      [sagaCommandId('order', 'o1', event.position, 0), { type: 'Ship', data: { n: 1 } }, 'corr', 'e7'],
      [sagaCommandId('order', 'o1', event.position, 1), { type: 'Ship', data: { n: 2 } }, 'corr', 'e7'],
    ]);
    expect(new Set(step?.outbox.map((entry) => entry._id)).size).toBe(2);
    const again = await sagaStep(options, shipTwice, 'o1', null, event, NOW + 5);
    expect(again?.outbox.map((entry) => entry._id)).toEqual(step?.outbox.map((entry) => entry._id));
  });

  it('schedules deadlines after a delay or at a time, and cancels by key', async () => {
    const schedule = saga((state) => ({
      state,
      schedule: [
        { key: 'remind', after: 60_000, command: { type: 'Remind', data: {} } },
        { key: 'expire', at: new Date(NOW + 3_600_000), event: { type: 'OrderExpired', data: { orderId: 'o1' } } },
      ],
      cancel: ['old'],
    }));
    const step = await sagaStep(options, schedule, 'o1', null, recorded('OrderPlaced', 1), NOW);
    expect(step?.scheduled.map((deadline) => [deadline._id, deadline.dueAt, deadline.action])).toEqual([
      ['order/o1/remind', NOW + 60_000, { command: { type: 'Remind', data: {} } }],
      ['order/o1/expire', NOW + 3_600_000, { event: { type: 'OrderExpired', data: { orderId: 'o1' } } }],
    ]);
    expect(step?.cancelled).toEqual(['order/o1/old']);
    expect(step?.cancelAll).toBe(false);
  });

  it('marks the instance done and cancels all its deadlines, ignoring new ones', async () => {
    const finish = saga((state) => ({ state, done: true, schedule: [{ key: 'late', after: 1, command: { type: 'Remind', data: {} } }] }));
    const step = await sagaStep(options, finish, 'o1', stored(), recorded('OrderPaid', 2), NOW);
    expect(step).toMatchObject({ instance: { status: 'done' }, scheduled: [], cancelAll: true });
  });

  it.each([
    ['a command the saga cannot build', { commands: [{ type: 'Refund', data: {} }] }, /sent a Refund command, which its commands map does not build/],
    ['a deadline without a key', { schedule: [{ key: '', after: 5, command: { type: 'Remind', data: {} } }] }, /without a key or a valid time/],
    ['a deadline at an invalid time', { schedule: [{ key: 'k', at: Number.NaN, command: { type: 'Remind', data: {} } }] }, /without a key or a valid time/],
  ])('refuses %s with a clear error', async (_case, reaction, message) => {
    const bad = saga((state) => ({ state, ...(reaction as object) }));
    await expect(sagaStep(options, bad, 'o1', null, recorded('OrderPlaced', 1), NOW)).rejects.toThrow(message);
  });
});

describe('instanceIdOf', () => {
  it('routes the saga’s own stream by its id, and other events through correlate', () => {
    expect(instanceIdOf(options, remember, recorded('SagaCommandFailed', 3, {}, sagaStreamId('order', 'o9')))).toBe('o9');
    expect(instanceIdOf(options, remember, recorded('OrderPaid', 3, { orderId: 'o2' }))).toBe('o2');
    expect(instanceIdOf(options, remember, recorded('Unrelated', 3))).toBeNull();
    expect(instanceIdOf(options, remember, recorded('OrderPaid', 3, {}))).toBeNull();
  });

  it('refuses an instance id that is not a non-empty string', () => {
    const broken = { ...remember, correlate: () => 42 as unknown as string };
    expect(() => instanceIdOf(options, broken, recorded('OrderPlaced', 1))).toThrow(/correlated OrderPlaced at 0000000000000001 to 42/);
  });

  describe('commands for a decider (commandFor)', () => {
    type Shipment = Event<'Shipped', { orderId: string }>;
    const shipments: Decider<{ readonly type: 'ShipOrder'; readonly orderId: string; readonly express?: boolean }, Shipment, null> = {
      category: 'Shipment',
      initialState: () => null,
      evolve: (state) => state,
      decide: (command) => [{ type: 'Shipped', data: { orderId: command.orderId } }],
    };
    const noMap: SagaOptions = { ...options, commands: undefined };

    it('stores the decider and the entity with the command, so no commands map entry is needed', async () => {
      const ship = saga((state) => ({ state, commands: [commandFor(shipments, 's1', { type: 'ShipOrder', orderId: 'o1', express: true })] }));
      const step = await sagaStep(noMap, ship, 'o1', null, recorded('OrderPlaced', 1), NOW);
      expect(step?.outbox.map((entry) => entry.command)).toEqual([{ type: 'ShipOrder', data: { orderId: 'o1', express: true }, to: { decider: 'Shipment', id: 's1' } }]);
    });

    it('stores a scheduled decider command the same way', async () => {
      const later = saga((state) => ({ state, schedule: [{ key: 'ship', after: 5, command: commandFor(shipments, 's1', { type: 'ShipOrder', orderId: 'o1' }) }] }));
      const step = await sagaStep(noMap, later, 'o1', null, recorded('OrderPlaced', 1), NOW);
      expect(step?.scheduled[0]?.action).toEqual({ command: { type: 'ShipOrder', data: { orderId: 'o1' }, to: { decider: 'Shipment', id: 's1' } } });
    });

    it('refuses a command that names no decider and that the commands map does not build, saying how to fix it', async () => {
      const stray = saga((state) => ({ state, commands: [{ type: 'ShipOrder', data: { orderId: 'o1' } }] }));
      await expect(sagaStep(noMap, stray, 'o1', null, recorded('OrderPlaced', 1), NOW)).rejects.toThrow(
        "Saga 'order' sent a ShipOrder command, which its commands map does not build. Build it with commandFor(decider, id, command), or add it to @Saga({ commands }).",
      );
    });

    it('refuses a target that is not a decider and an id', async () => {
      const broken = saga((state) => ({ state, commands: [{ type: 'ShipOrder', data: {}, to: { decider: 'Shipment', id: '' } }] }));
      await expect(sagaStep(noMap, broken, 'o1', null, recorded('OrderPlaced', 1), NOW)).rejects.toThrow(/target \{"decider":"Shipment","id":""\} is not \{ decider, id \}/);
    });
  });
});
