import { ANY, ErrorType, NO_STREAM, STREAM_EXISTS, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { WrongExpectedRevisionError } from '@strata/core/adapter';
import { fromCurrentState, toStreamState } from './expected-state';
import { isMissingStream, isWrongExpectedVersion, toWrongExpectedRevision, storeError } from './kurrentdb-errors';

describe('expected revisions and their errors on KurrentDB', () => {
  it('maps each expected-revision mode to the client stream state', () => {
    expect(toStreamState('any')).toBe(ANY);
    expect(toStreamState('no_stream')).toBe(NO_STREAM);
    expect(toStreamState('stream_exists')).toBe(STREAM_EXISTS);
    expect(toStreamState(0n)).toBe(0n);
    expect(toStreamState(41n)).toBe(41n);
  });

  it("reports the server's actual state as core does; deleted and tombstoned streams hold nothing", () => {
    expect(fromCurrentState(NO_STREAM)).toBe('no_stream');
    expect(fromCurrentState(7n)).toBe(7n);
    expect(fromCurrentState(-5n)).toBe('no_stream');
    expect(fromCurrentState(-6n)).toBe('no_stream');
  });

  it("turns the client's WrongExpectedVersion into WrongExpectedRevisionError", () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'Account-1', expected: 1n, current: 3n });
    expect(isWrongExpectedVersion(error)).toBe(true);
    expect(error.type).toBe(ErrorType.WRONG_EXPECTED_VERSION);
    const mapped = toWrongExpectedRevision(error, 'Account-1', 1n);
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ streamId: 'Account-1', expected: 1n, actual: 3n, code: 'WRONG_EXPECTED_REVISION' });
  });

  it('recognises missing streams and wraps other failures with the variable to check', () => {
    expect(isMissingStream({ type: ErrorType.STREAM_NOT_FOUND })).toBe(true);
    expect(isMissingStream({ type: ErrorType.STREAM_DELETED })).toBe(true);
    expect(isMissingStream(new Error('boom'))).toBe(false);
    expect(isWrongExpectedVersion(new Error('boom'))).toBe(false);
    const wrapped = storeError(new Error('14 UNAVAILABLE'), "append to 'A-1'");
    expect(wrapped).toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE' });
    expect(wrapped.message).toContain('KURRENTDB_URL');
  });
});
