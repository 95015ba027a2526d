import { type Decider, DomainError, type Event } from '@strata/core';
import { DeciderSpecification, SpecificationFailedError } from '@strata/testing';

// A counter that refuses to pass ten: small enough to read, with every outcome a spec can meet.
type CounterCommand =
  | { readonly type: 'Increment'; readonly by: number }
  | { readonly type: 'Reset' }
  | { readonly type: 'ThrowString' };

type Incremented = Event<'Incremented', { by: number }>;
type CounterReset = Event<'CounterReset', { from: number }>;
type CounterEvent = Incremented | CounterReset;

class CounterLimitError extends DomainError {
  constructor(readonly count: number) {
    super('COUNTER_LIMIT', `The counter is at ${count} and may not pass 10.`);
  }
}

const counter: Decider<CounterCommand, CounterEvent, { count: number }> = {
  category: 'Counter',
  initialState: () => ({ count: 0 }),
  evolve: (state, event) =>
    event.type === 'Incremented' ? { count: state.count + event.data.by } : { count: 0 },
  decide(command, state) {
    switch (command.type) {
      case 'Increment':
        if (state.count + command.by > 10) throw new CounterLimitError(state.count);
        return [{ type: 'Incremented', data: { by: command.by } }];
      case 'Reset':
        // Resetting a counter already at zero changes nothing.
        return state.count === 0 ? [] : [{ type: 'CounterReset', data: { from: state.count } }];
      case 'ThrowString':
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the spec must describe non-Error throws too
        throw 'not an error';
    }
  },
};

const spec = DeciderSpecification.for(counter);
const incremented = (by: number): Incremented => ({ type: 'Incremented', data: { by } });

/** Runs an assertion that must fail and returns its failure. */
function failureOf(assertion: () => void): SpecificationFailedError {
  try {
    assertion();
  } catch (error) {
    if (error instanceof SpecificationFailedError) return error;
    throw error;
  }
  throw new Error('Expected the specification to fail, but it passed.');
}

describe('DeciderSpecification', () => {
  describe('then', () => {
    it('passes when decide returns exactly the expected events', () => {
      spec.given([]).when({ type: 'Increment', by: 2 }).then([incremented(2)]);
    });

    it('folds the given events before deciding', () => {
      spec.given([incremented(4), incremented(3)]).when({ type: 'Reset' }).then([
        { type: 'CounterReset', data: { from: 7 } },
      ]);
    });

    it('fails with a diff of the expected and the actual events', () => {
      const failure = failureOf(() => spec.given([]).when({ type: 'Increment', by: 2 }).then([incremented(3)]));

      expect(failure.message).toContain('The Counter decider returned other events than expected.');
      expect(failure.message).toContain('- Expected events');
      expect(failure.message).toContain('+ Actual events');
      expect(failure.message).toMatch(/^- +"by": 3,$/m);
      expect(failure.message).toMatch(/^\+ +"by": 2,$/m);
      expect(failure.expected).toEqual([incremented(3)]);
      expect(failure.actual).toEqual([incremented(2)]);
    });

    it('fails when an event is missing, extra or out of order', () => {
      const given = spec.given([incremented(1)]);
      failureOf(() => given.when({ type: 'Increment', by: 2 }).then([]));
      failureOf(() => given.when({ type: 'Increment', by: 2 }).then([incremented(2), incremented(2)]));
      failureOf(() =>
        given.when({ type: 'Reset' }).then([{ type: 'CounterReset', data: { from: 1 } }, incremented(1)]),
      );
    });

    it('fails, naming the error, when decide throws instead', () => {
      const failure = failureOf(() => spec.given([incremented(9)]).when({ type: 'Increment', by: 2 }).then([incremented(2)]));

      expect(failure.message).toContain(
        'was expected to return 1 event, but decide threw CounterLimitError [COUNTER_LIMIT]: The counter is at 9 and may not pass 10.',
      );
      expect(failure.message).toContain("Expected events:\n[ { type: 'Incremented', data: { by: 2 } } ]");
      expect(failure.cause).toBeInstanceOf(CounterLimitError);
    });

    it('describes a thrown value that is not an Error', () => {
      const failure = failureOf(() => spec.given([]).when({ type: 'ThrowString' }).then([]));

      expect(failure.message).toContain("decide threw the non-Error value 'not an error'");
    });
  });

  describe('thenNothingHappened', () => {
    it('passes when decide returns no events', () => {
      spec.given([]).when({ type: 'Reset' }).thenNothingHappened();
    });

    it('fails, listing the events, when decide returns some', () => {
      const failure = failureOf(() => spec.given([incremented(5)]).when({ type: 'Reset' }).thenNothingHappened());

      expect(failure.message).toContain('was expected to return no events, but it returned 1 event:');
      expect(failure.message).toContain("{ type: 'CounterReset', data: { from: 5 } }");
    });

    it('fails when decide throws', () => {
      const failure = failureOf(() => spec.given([incremented(10)]).when({ type: 'Increment', by: 1 }).thenNothingHappened());

      expect(failure.message).toContain('but decide threw CounterLimitError [COUNTER_LIMIT]');
    });
  });

  describe('thenThrows', () => {
    const overLimit = spec.given([incremented(10)]).when({ type: 'Increment', by: 1 });

    it('passes when decide throws the error class or a subclass of it', () => {
      overLimit.thenThrows(CounterLimitError);
      overLimit.thenThrows(DomainError);
    });

    it('passes when the check on the error holds', () => {
      overLimit.thenThrows(CounterLimitError, (error) => error.count === 10);
      overLimit.thenThrows(CounterLimitError, (error) => expect(error.code).toBe('COUNTER_LIMIT'));
      overLimit.thenThrows((error) => error instanceof CounterLimitError);
    });

    it('fails when decide returns events instead', () => {
      const failure = failureOf(() => spec.given([]).when({ type: 'Increment', by: 1 }).thenThrows(CounterLimitError));

      expect(failure.message).toContain(
        'was expected to throw CounterLimitError, but decide returned 1 event instead:',
      );
      expect(failure.message).toContain("{ type: 'Incremented', data: { by: 1 } }");
    });

    it('fails when decide returns no events either', () => {
      const failure = failureOf(() => spec.given([]).when({ type: 'Reset' }).thenThrows(() => true));

      expect(failure.message).toContain('was expected to throw an error that passes the check, but decide returned 0 events');
    });

    it('fails when decide throws another error', () => {
      const failure = failureOf(() => overLimit.thenThrows(RangeError));

      expect(failure.message).toContain(
        'was expected to throw RangeError, but decide threw CounterLimitError [COUNTER_LIMIT]: The counter is at 10',
      );
      expect(failure.cause).toBeInstanceOf(CounterLimitError);
    });

    it('fails when the check returns false', () => {
      const failure = failureOf(() => overLimit.thenThrows(CounterLimitError, (error) => error.count === 3));

      expect(failure.message).toContain('threw CounterLimitError [COUNTER_LIMIT]');
      expect(failure.message).toContain('but the check on that error returned false.');
      failureOf(() => overLimit.thenThrows(() => false));
    });

    it('fails, quoting the check, when the check throws', () => {
      const failure = failureOf(() =>
        overLimit.thenThrows(CounterLimitError, (error) => expect(error.code).toBe('SOMETHING_ELSE')),
      );

      expect(failure.message).toContain('but the check on that error failed:');
      expect(failure.message).toContain('SOMETHING_ELSE');
    });
  });

  describe('given', () => {
    it('reports an evolve that throws on a given event as a broken history', () => {
      const fragile: typeof counter = {
        ...counter,
        evolve: (state, event) => {
          if (event.type === 'CounterReset') throw new TypeError('no resets here');
          return counter.evolve(state, event);
        },
      };
      const failure = failureOf(() =>
        DeciderSpecification.for(fragile)
          .given([incremented(1), { type: 'CounterReset', data: { from: 1 } }])
          .when({ type: 'Reset' })
          .thenNothingHappened(),
      );

      expect(failure.message).toContain(
        'could not fold the given events: evolve threw TypeError: no resets here on given event #2 (CounterReset).',
      );
    });

    it('makes a decider that mutates its state fail', () => {
      const mutating: typeof counter = {
        ...counter,
        evolve: (state, event) => {
          if (event.type === 'Incremented') state.count += event.data.by;
          return state;
        },
      };

      const failure = failureOf(() => DeciderSpecification.for(mutating).given([incremented(1)]).when({ type: 'Reset' }).then([]));
      expect(failure.message).toContain('evolve threw TypeError');
    });
  });

  it('fails when decide returns something other than an array of events', () => {
    const forgetful: typeof counter = { ...counter, decide: () => undefined as unknown as CounterEvent[] };
    const failure = failureOf(() => DeciderSpecification.for(forgetful).given([]).when({ type: 'Reset' }).then([]));

    expect(failure.message).toContain('decide returned undefined instead of an array of events');
  });

  it('types commands and events from the decider', () => {
    // @ts-expect-error 'Decrement' is not a counter command
    failureOf(() => spec.given([]).when({ type: 'Decrement' }).thenNothingHappened());
    // @ts-expect-error 'by' must be a number
    failureOf(() => spec.given([]).when({ type: 'Increment', by: 1 }).then([{ type: 'Incremented', data: { by: '1' } }]));
  });
});
