import { DomainError, Saga, type Event, type RecordedEvent, type SagaCommandFailed, type SagaContext, type SagaHandler, type SagaReaction } from '@strata/core';
import { positionFromSequence } from '@strata/core/adapter';
import { commandFailed, GIVEN_EVENTS_START, SagaSpecification, timeElapsed } from '@strata/testing';
import { failureOf } from './specification-failure';

// A checkout: ask for payment, remind after 30 s, give up after 60 s. Small, with every outcome a saga spec can meet.
type OrderPlaced = Event<'OrderPlaced', { orderId: string; amount: number }>;
type PaymentReceived = Event<'PaymentReceived', { orderId: string }>;
type OrderNoted = Event<'OrderNoted', { orderId: string }>;
type PaymentOverdue = Event<'PaymentOverdue', { orderId: string }>;
type CheckoutEvent = OrderPlaced | PaymentReceived | OrderNoted | PaymentOverdue;

interface CheckoutState {
  stage: 'awaiting-payment' | 'paid' | 'cancelled';
  amount: number;
  reason?: string;
  overdueFrom?: string;
}

const ignore = () => ({});
const commands = { RequestPayment: ignore, SendReminder: ignore, Ship: ignore, CancelOrder: ignore };

@Saga({ name: 'checkout', version: 1, handles: ['OrderPlaced', 'PaymentReceived', 'OrderNoted', 'PaymentOverdue'], startedBy: ['OrderPlaced'], commands })
class CheckoutSaga implements SagaHandler<CheckoutState, CheckoutEvent> {
  constructor(private readonly patienceMs = 60_000) {}

  correlate(event: RecordedEvent<CheckoutEvent>): string | null {
    return event.data.orderId || null;
  }

  initialState(): CheckoutState {
    return { stage: 'awaiting-payment', amount: 0 };
  }

  handle(state: CheckoutState, event: RecordedEvent<CheckoutEvent | SagaCommandFailed>, ctx: SagaContext): SagaReaction<CheckoutState> {
    const orderId = ctx.instanceId;
    switch (event.type) {
      case 'OrderPlaced': {
        const { amount } = event.data as OrderPlaced['data'];
        return {
          state: { ...state, amount },
          commands: [{ type: 'RequestPayment', data: { orderId, amount } }],
          schedule: [
            { key: 'remind', after: this.patienceMs / 2, command: { type: 'SendReminder', data: { orderId } } },
            { key: 'overdue', at: ctx.now.getTime() + this.patienceMs, event: { type: 'PaymentOverdue', data: { orderId } } },
          ],
        };
      }
      case 'PaymentReceived':
        return { state: { ...state, stage: 'paid' }, commands: [{ type: 'Ship', data: { orderId } }], cancel: ['remind', 'overdue'] };
      case 'PaymentOverdue':
        // Where the timeout came from shows it arrived on the instance's own stream.
        return { state: { ...state, stage: 'cancelled', overdueFrom: event.streamId }, commands: [{ type: 'CancelOrder', data: { orderId } }], done: true };
      case 'SagaCommandFailed': {
        const { error } = event.data as SagaCommandFailed['data'];
        return { state: { ...state, stage: 'cancelled', reason: error.code }, commands: [{ type: 'CancelOrder', data: { orderId } }], done: true };
      }
      case 'OrderNoted':
        return { state };
    }
    return { state };
  }
}

/** Wrong in three ways a spec must catch: a Date in its state, a throw, and a deadline that reschedules itself forever. */
@Saga({ name: 'sloppy', version: 1, handles: ['OrderPlaced', 'PaymentReceived', 'PaymentOverdue'], startedBy: ['OrderPlaced'], commands })
class SloppySaga implements SagaHandler<{ at?: Date }, CheckoutEvent> {
  correlate(event: RecordedEvent<CheckoutEvent>): string | null {
    return event.data.orderId;
  }

  initialState(): { at?: Date } {
    return {};
  }

  handle(state: { at?: Date }, event: RecordedEvent<CheckoutEvent | SagaCommandFailed>, ctx: SagaContext): SagaReaction<{ at?: Date }> {
    if (event.type === 'PaymentReceived') return { state: { at: ctx.now } };
    if (event.type === 'OrderPlaced' && (event.data as OrderPlaced['data']).amount < 0) throw new NegativeAmountError();
    return { state, schedule: [{ key: 'again', after: 0, event: { type: 'PaymentOverdue', data: { orderId: ctx.instanceId } } }] };
  }
}

class NegativeAmountError extends DomainError {
  constructor() {
    super('NEGATIVE_AMOUNT', 'An order cannot have a negative amount.');
  }
}

const spec = SagaSpecification.for(CheckoutSaga);
const placed = (amount = 50): OrderPlaced => ({ type: 'OrderPlaced', data: { orderId: 'o1', amount } });
const paid: PaymentReceived = { type: 'PaymentReceived', data: { orderId: 'o1' } };
const noted: OrderNoted = { type: 'OrderNoted', data: { orderId: 'o1' } };
const at = (ms: number) => new Date(GIVEN_EVENTS_START.getTime() + ms);
const refused = { code: 'CARD_DECLINED', message: 'The card was declined.' };

describe('SagaSpecification', () => {
  describe('thenDispatches', () => {
    it('passes when the step dispatched exactly these commands', async () => {
      await spec.given([]).when(placed()).thenDispatches([{ type: 'RequestPayment', data: { orderId: 'o1', amount: 50 } }]);
      await spec.given([placed()]).when(paid).thenDispatches([{ type: 'Ship', data: { orderId: 'o1' } }]);
    });

    it('fails with a diff of the commands', async () => {
      const failure = await failureOf(() => spec.given([]).when(placed()).thenDispatches([{ type: 'RequestPayment', data: { orderId: 'o1', amount: 60 } }]));
      expect(failure.message).toContain("Saga 'checkout' dispatched other commands than expected on OrderPlaced.");
      expect(failure.message).toMatch(/- +"amount": 60,\n\+ +"amount": 50,/);
    });
  });

  describe('thenSchedules', () => {
    it('compares deadlines given with `after` or `at`, from the time the saga scheduled them', async () => {
      const step = spec.given([timeElapsed(5_000)]).when(placed());
      await step.thenSchedules([
        { key: 'remind', after: 30_000, command: { type: 'SendReminder', data: { orderId: 'o1' } } },
        { key: 'overdue', at: at(65_000), event: { type: 'PaymentOverdue', data: { orderId: 'o1' } } },
      ]);
    });

    it('fails with a diff naming the time', async () => {
      const failure = await failureOf(() =>
        spec.given([]).when(placed()).thenSchedules([
          { key: 'remind', after: 30_000, command: { type: 'SendReminder', data: { orderId: 'o1' } } },
          { key: 'overdue', after: 61_000, event: { type: 'PaymentOverdue', data: { orderId: 'o1' } } },
        ]),
      );
      expect(failure.message).toContain('scheduled other deadlines than expected on OrderPlaced');
      expect(failure.message).toContain('2026-01-01T00:01:01.000Z');
    });
  });

  describe('thenCancels', () => {
    it('lists the keys the step cancelled', async () => {
      await spec.given([placed()]).when(paid).thenCancels(['remind', 'overdue']);
      const failure = await failureOf(() => spec.given([placed()]).when(paid).thenCancels(['remind']));
      expect(failure.message).toContain('cancelled other deadlines than expected on PaymentReceived');
    });
  });

  describe('whenTimeElapses and thenFiresDeadline', () => {
    it('fires a command deadline once its time comes, dispatching the command', async () => {
      const step = spec.given([placed()]).whenTimeElapses(30_000);
      await step.thenFiresDeadline();
      await step.thenFiresDeadline('remind');
      await step.thenFiresDeadline({ key: 'remind', at: at(30_000), command: { type: 'SendReminder', data: { orderId: 'o1' } } });
      await step.thenDispatches([{ type: 'SendReminder', data: { orderId: 'o1' } }]);
    });

    it('fires every deadline due, in order, delivering timeout events to the instance on its own stream', async () => {
      const step = spec.given([placed()]).whenTimeElapses(90_000);
      await step.thenFiresDeadline('remind', { key: 'overdue', event: { type: 'PaymentOverdue', data: { orderId: 'o1' } } });
      await step.thenDispatches([
        { type: 'SendReminder', data: { orderId: 'o1' } },
        { type: 'CancelOrder', data: { orderId: 'o1' } },
      ]);
      await step.thenState({ stage: 'cancelled', amount: 50, overdueFrom: 'saga.checkout-o1' });
      await step.thenDone();
    });

    it('fires nothing before the time, and says when the next deadline is due', async () => {
      await spec.given([placed()]).whenTimeElapses(29_999).thenNothingHappened();
      const failure = await failureOf(() => spec.given([placed()]).whenTimeElapses(29_999).thenFiresDeadline());
      expect(failure.message).toBe(
        "Saga 'checkout' was expected to fire a deadline after 29999 ms, but none came due. The next is 'remind' at 2026-01-01T00:00:30.000Z, 30000 ms after the step began.",
      );
    });

    it('fails when other deadlines fired than expected', async () => {
      const failure = await failureOf(() => spec.given([placed()]).whenTimeElapses(90_000).thenFiresDeadline('overdue'));
      expect(failure.message).toContain('fired other deadlines than expected after 90000 ms');
    });

    it('never fires a cancelled deadline, nor those of a finished instance', async () => {
      await spec.given([placed(), paid]).whenTimeElapses(600_000).thenNothingHappened();
      await spec.given([placed(), commandFailed('RequestPayment')]).whenTimeElapses(600_000).thenNothingHappened();
    });

    it('takes constructor arguments for the saga', async () => {
      await SagaSpecification.for(CheckoutSaga, 10_000).given([placed()]).whenTimeElapses(5_000).thenFiresDeadline('remind');
    });

    it('refuses to run time backwards', async () => {
      const failure = await failureOf(() => spec.given([placed()]).whenTimeElapses(-1).thenNothingHappened());
      expect(failure.message).toContain('Time can only move forward');
    });
  });

  describe('whenCommandFails', () => {
    it('tells the saga that its last command of that type was refused', async () => {
      const step = spec.given([placed()]).whenCommandFails('RequestPayment', refused);
      await step.thenDispatches([{ type: 'CancelOrder', data: { orderId: 'o1' } }]);
      await step.thenState({ stage: 'cancelled', amount: 50, reason: 'CARD_DECLINED' });
      await step.thenDone();
    });

    it('takes a DomainError as the refusal', async () => {
      await spec.given([placed()]).whenCommandFails('RequestPayment', new NegativeAmountError()).thenState({ stage: 'cancelled', amount: 50, reason: 'NEGATIVE_AMOUNT' });
    });

    it('fails when the saga sent no such command', async () => {
      const failure = await failureOf(() => spec.given([placed()]).whenCommandFails('Ship').thenDone());
      expect(failure.message).toBe(
        "Saga 'checkout' has not sent a Ship command that could fail; the commands it sent and that have not failed are [ 'RequestPayment' ].",
      );
    });

    it('fails a command only once', async () => {
      const failure = await failureOf(() => spec.given([placed(), commandFailed('RequestPayment')]).whenCommandFails('RequestPayment').thenDone());
      expect(failure.message).toContain('has not sent a RequestPayment command that could fail');
    });

    it('fails a command a deadline dispatched', async () => {
      await spec.given([placed(), timeElapsed(30_000)]).whenCommandFails('SendReminder', refused).thenDone();
    });
  });

  describe('thenDone and thenState', () => {
    it('fails thenDone while the instance goes on, showing its state', async () => {
      const failure = await failureOf(() => spec.given([]).when(placed()).thenDone());
      expect(failure.message).toContain("Saga 'checkout' was expected to finish instance 'o1' on OrderPlaced, but the instance is still active.");
      expect(failure.message).toContain("stage: 'awaiting-payment'");
    });

    it('fails thenState with a diff', async () => {
      const failure = await failureOf(() => spec.given([placed()]).when(paid).thenState({ stage: 'cancelled', amount: 50 }));
      expect(failure.message).toMatch(/- +"stage": "cancelled",\n\+ +"stage": "paid",/);
    });

    it('says why a step reached no instance', async () => {
      const failure = await failureOf(() => spec.given([]).when(paid).thenState({ stage: 'paid', amount: 0 }));
      expect(failure.message).toContain("PaymentReceived was ignored: no instance 'o1' exists, and only OrderPlaced start one");
      const done = await failureOf(() => spec.given([placed(), commandFailed('RequestPayment')]).when(paid).thenDone());
      expect(done.message).toContain("instance 'o1' is already done");
      const uncorrelated = await failureOf(() => spec.given([placed()]).when({ type: 'OrderNoted', data: { orderId: '' } }).thenDone());
      expect(uncorrelated.message).toContain('it belongs to no instance');
    });
  });

  describe('thenNothingHappened', () => {
    it('passes for an event that changes nothing, or reaches no instance, or is redelivered', async () => {
      await spec.given([placed()]).when(noted).thenNothingHappened();
      await spec.given([]).when(paid).thenNothingHappened();
      const first = { ...placed(), id: 'e1', position: positionFromSequence(1) };
      await spec.given([first]).when(first).thenNothingHappened();
    });

    it('lists everything that did happen', async () => {
      const failure = await failureOf(() => spec.given([placed()]).when(paid).thenNothingHappened());
      expect(failure.message).toContain("Saga 'checkout' was expected to do nothing on PaymentReceived, but it:");
      expect(failure.message).toContain("dispatched { type: 'Ship', data: { orderId: 'o1' } }");
      expect(failure.message).toContain("cancelled 'remind'");
      expect(failure.message).toContain("changed the state of instance 'o1'");
      const started = await failureOf(() => spec.given([]).when(placed()).thenNothingHappened());
      expect(started.message).toContain("started instance 'o1'");
    });
  });

  describe('thenThrows', () => {
    const sloppy = SagaSpecification.for(SloppySaga);

    it('passes when the saga throws what is expected', async () => {
      await sloppy.given([]).when(placed(-1)).thenThrows(NegativeAmountError);
      await sloppy.given([]).when(placed(-1)).thenThrows((error) => (error as DomainError).code === 'NEGATIVE_AMOUNT');
    });

    it('fails when the saga does not throw, and other assertions fail when it does', async () => {
      const quiet = await failureOf(() => spec.given([]).when(placed()).thenThrows(NegativeAmountError));
      expect(quiet.message).toBe("Saga 'checkout' was expected to throw NegativeAmountError on OrderPlaced, but it ran without throwing.");
      const loud = await failureOf(() => sloppy.given([]).when(placed(-1)).thenDispatches([]));
      expect(loud.message).toBe(
        "Saga 'sloppy' was expected to dispatch 0 commands on OrderPlaced, but it threw NegativeAmountError [NEGATIVE_AMOUNT]: An order cannot have a negative amount.",
      );
    });
  });

  describe('guards', () => {
    const sloppy = SagaSpecification.for(SloppySaga);

    it('refuses a state the engine could not store as JSON', async () => {
      const failure = await failureOf(() => sloppy.given([placed()]).when(paid).thenState({}));
      expect(failure.message).toContain("Saga 'sloppy' returned something the engine cannot store");
      expect(failure.message).toContain("Field 'state.at'");
    });

    it('stops a deadline that keeps rescheduling itself', async () => {
      const failure = await failureOf(() => sloppy.given([placed()]).whenTimeElapses(1).thenFiresDeadline());
      expect(failure.message).toContain("keeps rescheduling 'again' without end");
    });

    it('reports a history the saga cannot take in, naming the entry', async () => {
      const failure = await failureOf(() => sloppy.given([placed(-1)]).when(paid).thenDone());
      expect(failure.message).toBe(
        "Saga 'sloppy' could not take in given entry #1 (OrderPlaced): NegativeAmountError [NEGATIVE_AMOUNT]: An order cannot have a negative amount.",
      );
    });

    it('fails a step or a history with an event type the saga does not handle, rather than passing on nothing', async () => {
      // SloppySaga's union has OrderNoted, but its handles do not: the engine would never deliver it.
      for (const check of [() => sloppy.given([placed()]).when(noted).thenDispatches([]), () => sloppy.given([placed()]).when(noted).thenNothingHappened()]) {
        const failure = await failureOf(check);
        expect(failure.message).toBe(
          "Saga 'sloppy' does not handle OrderNoted, so when(OrderNoted) tests nothing: the engine never delivers it. It handles OrderPlaced, PaymentReceived, PaymentOverdue (and SagaCommandFailed).",
        );
      }
      const given = await failureOf(() => sloppy.given([placed(), noted]).when(paid).thenState({}));
      expect(given.message).toBe(
        "Saga 'sloppy' does not handle OrderNoted, so given entry #2 (OrderNoted) tests nothing: the engine never delivers it. It handles OrderPlaced, PaymentReceived, PaymentOverdue (and SagaCommandFailed).",
      );
    });

    it('refuses a class that is not a saga', () => {
      expect(() => SagaSpecification.for(class NotASaga {} as never)).toThrow(/NotASaga is not a saga/);
    });
  });
});
