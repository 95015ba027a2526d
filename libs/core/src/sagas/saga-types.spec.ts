import type { Decider } from '../decider/decider';
import type { AggregateHandleOf, CommandOf, EventOf, StateOf } from '../decider/decider-types';
import type { AggregateHandle } from '../commands/aggregate-handle';
import type { CommandContext } from '../commands/command-context';
import type { Event, RecordedEvent } from '../events/event';
import type { Recorded } from '../events/recorded';
import { commandFor, type DeciderSagaCommand } from './decider-saga-command';
import type { SagaHandler } from './saga-handler';
import type { SagaMessage, SagaReaction } from './saga-messages';
import { Saga, sagaOptionsOf } from './saga.decorator';
import type { SagaOptions } from './saga-options';
import type { SagaCommandsOf } from './saga-types';

// Type tests: `tsc --noEmit` (part of `npm test`) fails if an `@ts-expect-error` below stops being an error.

/** True only when A and B are the same type. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(proof: Same<A, B>): boolean => proof;

type Placed = Event<'Placed', { orderId: string; amount: number }>;
type Paid = Event<'Paid', { orderId: string }>;
type OrderEvent = Placed | Paid;
type OrderCommand = { readonly type: 'Place'; readonly orderId: string; readonly amount: number } | { readonly type: 'Cancel'; readonly orderId: string };
const orders: Decider<OrderCommand, OrderEvent, { placed: boolean }> = {
  category: 'Order',
  initialState: () => ({ placed: false }),
  evolve: () => ({ placed: true }),
  decide: (command) => (command.type === 'Place' ? [{ type: 'Placed', data: { orderId: command.orderId, amount: command.amount } }] : []),
};

type Shipped = Event<'Shipped', { orderId: string }>;
const shipping = { remind: (data: { orderId: string }, context: CommandContext) => ({ data, context }) };

abstract class OrderSagaBase implements SagaHandler<null, OrderEvent, DeciderSagaCommand<typeof orders>> {
  correlate(event: RecordedEvent<OrderEvent>): string | null {
    return event.data.orderId;
  }
  initialState(): null {
    return null;
  }
  abstract handle(state: null, event: SagaMessage<OrderEvent>): SagaReaction<null, DeciderSagaCommand<typeof orders>>;
}

@Saga({ name: 'typed-order', version: 1, handles: ['Placed', 'Paid'], startedBy: ['Placed'] })
class OrderSaga extends OrderSagaBase {
  handle(state: null, event: SagaMessage<OrderEvent>): SagaReaction<null, DeciderSagaCommand<typeof orders>> {
    // The message union narrows on `type`, data included.
    if (event.type === 'Placed') return { state, commands: [commandFor(orders, event.data.orderId, { type: 'Cancel', orderId: event.data.orderId })] };
    return { state };
  }
}

// @ts-expect-error 'Shipped' is not in the saga's event union, so the engine would hand `handle` something it does not expect.
@Saga({ name: 'wrong-handles', version: 1, handles: ['Placed', 'Shipped'], startedBy: ['Placed'] })
class WrongHandlesSaga extends OrderSaga {}

// @ts-expect-error startedBy must name a type in handles (at run time, @Saga refuses it too).
const wrongStart: SagaOptions<'Placed'> = { name: 'wrong-start', version: 1, handles: ['Placed'], startedBy: ['Paid'] };

class RemindingSaga implements SagaHandler<null, OrderEvent | Shipped, SagaCommandsOf<typeof shipping>> {
  correlate(event: RecordedEvent<OrderEvent | Shipped>): string | null {
    return event.data.orderId;
  }
  initialState(): null {
    return null;
  }
  handle(state: null, event: SagaMessage<OrderEvent | Shipped>): SagaReaction<null, SagaCommandsOf<typeof shipping>> {
    return event.type === 'Placed' ? { state, commands: [{ type: 'remind', data: { orderId: event.data.orderId } }] } : { state };
  }
}

@Saga({ name: 'reminding', version: 1, handles: ['Placed', 'Shipped'], startedBy: ['Placed'], commands: shipping })
class BuiltRemindingSaga extends RemindingSaga {}

// @ts-expect-error 'remind' is neither sent to a decider nor built by a commands map.
@Saga({ name: 'unbuilt', version: 1, handles: ['Placed'], startedBy: ['Placed'] })
class UnbuiltRemindingSaga extends RemindingSaga {}

describe('types inferred from deciders, event unions and saga declarations', () => {
  it('reads command, event and state types, and the aggregate handle, off a decider', () => {
    expect(same<CommandOf<typeof orders>, OrderCommand>(true)).toBe(true);
    expect(same<EventOf<typeof orders>, OrderEvent>(true)).toBe(true);
    expect(same<StateOf<typeof orders>, { placed: boolean }>(true)).toBe(true);
    expect(same<AggregateHandleOf<typeof orders>, AggregateHandle<OrderCommand, OrderEvent, { placed: boolean }>>(true)).toBe(true);
  });

  it('makes recorded unions that narrow on type', () => {
    expect(same<Recorded<OrderEvent>, RecordedEvent<Placed> | RecordedEvent<Paid>>(true)).toBe(true);
    expect(same<Extract<SagaMessage<OrderEvent>, { type: 'Paid' }>['data'], Paid['data']>(true)).toBe(true);
  });

  it('infers saga commands from a commands map and from deciders', () => {
    expect(same<SagaCommandsOf<typeof shipping>['type'], 'remind'>(true)).toBe(true);
    expect(same<SagaCommandsOf<typeof shipping>['data'], { orderId: string }>(true)).toBe(true);
    const cancel = commandFor(orders, 'o1', { type: 'Cancel', orderId: 'o1' });
    expect(cancel).toEqual({ type: 'Cancel', data: { orderId: 'o1' }, to: { decider: 'Order', id: 'o1' } });
    expect(same<DeciderSagaCommand<typeof orders>['type'], 'Place' | 'Cancel'>(true)).toBe(true);
    // @ts-expect-error 'Ship' is not an order command.
    expect(() => commandFor(orders, 'o1', { type: 'Ship', orderId: 'o1' })).not.toThrow();
  });

  it('still records the declarations of the sagas it accepted (and, at run time, of those tsc refused)', () => {
    expect(sagaOptionsOf(OrderSaga)?.handles).toEqual(['Placed', 'Paid']);
    expect(sagaOptionsOf(BuiltRemindingSaga)?.commands).toBe(shipping);
    expect([WrongHandlesSaga, UnbuiltRemindingSaga].map((saga) => sagaOptionsOf(saga)?.name)).toEqual(['wrong-handles', 'unbuilt']);
    expect(() => Saga(wrongStart)).toThrow('startedBy names types it does not handle: Paid.');
  });
});
