import { HttpException, InternalServerErrorException, NotFoundException } from '@nestjs/common';
import { DomainError, StrataError } from '../errors/strata-error';
import { problemTitle, problemType } from './problem-details';
import { RequestValidationError } from './request-validation-error';
import { isExplained, toProblemDetails } from './to-problem-details';

class InsufficientFundsError extends DomainError {
  constructor() {
    super('INSUFFICIENT_FUNDS', 'Account holds 5, less than the 7 requested.');
  }
}

describe('toProblemDetails', () => {
  it('derives type and title from a domain error code and keeps its message as detail', () => {
    expect(toProblemDetails(new InsufficientFundsError(), '/accounts/1/withdrawals')).toEqual({
      type: 'urn:strata:problem:insufficient-funds',
      title: 'Insufficient funds',
      status: 422,
      code: 'INSUFFICIENT_FUNDS',
      detail: 'Account holds 5, less than the 7 requested.',
      instance: '/accounts/1/withdrawals',
    });
  });

  it.each([
    ['EVENT_STORE_UNAVAILABLE', 'KurrentDB could not append to stream: connect ECONNREFUSED 10.0.0.7:2113. Check KURRENTDB_URL.', 'retry it with the same Idempotency-Key'],
    ['READ_STORE_UNAVAILABLE', "MongoDB refused an operation on 'accounts': connection <monitor> to 10.0.0.8:27017 closed.", 'Retry shortly'],
    ['STORE_BUSY', 'The SQLite file stayed locked by another writer past the busy timeout (SQLITE_BUSY).', 'nothing was changed'],
  ])('answers %s with a 503 the client can act on, never the store\'s own message', (code, message, advice) => {
    const problem = toProblemDetails(new StrataError(code, message));
    expect(problem).toMatchObject({ status: 503, code });
    expect(problem.detail).toContain(advice);
    expect(problem.detail).not.toContain(message);
    expect(problem.detail).not.toMatch(/10\.0\.0|SQLITE|KURRENTDB_URL/);
    expect(isExplained(new StrataError(code, message))).toBe(false); // so the filter logs the cause
  });

  it('lists the fields of a validation failure', () => {
    const problem = toProblemDetails(new RequestValidationError([{ field: 'owner', message: 'owner must be a string' }]));
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'owner', message: 'owner must be a string' }] });
    expect(problem).not.toHaveProperty('instance');
  });

  it('names an HttpException by its status and keeps its message', () => {
    expect(toProblemDetails(new NotFoundException('Cannot GET /x'))).toMatchObject({
      type: 'urn:strata:problem:not-found',
      status: 404,
      code: 'NOT_FOUND',
      detail: 'Cannot GET /x',
    });
    expect(toProblemDetails(new HttpException('Request body is too large', 413))).toMatchObject({
      type: 'urn:strata:problem:payload-too-large',
      status: 413,
    });
  });

  it.each([
    ['an unknown error', new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2')],
    ['a 5xx HttpException', new InternalServerErrorException('internal table accounts_v2 is locked')],
    ['a thrown string', 'secret'],
  ])('hides the message and stack of %s behind a generic 500', (_case, error) => {
    const problem = toProblemDetails(error);
    expect(problem).toMatchObject({ status: 500, type: 'urn:strata:problem:internal-server-error' });
    const text = JSON.stringify(problem);
    expect(text).not.toMatch(/hunter2|accounts_v2|secret|\bat\s/);
  });
});

describe('problemType and problemTitle', () => {
  it('turn a code into a URN and a sentence-case title', () => {
    expect(problemType('WRONG_EXPECTED_REVISION')).toBe('urn:strata:problem:wrong-expected-revision');
    expect(problemTitle('WRONG_EXPECTED_REVISION')).toBe('Wrong expected revision');
  });
});
