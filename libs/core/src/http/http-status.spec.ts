import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { ConcurrencyConflictError, DuplicateEventIdError, StreamNotFoundError, WrongExpectedRevisionError } from '../errors/concurrency-errors';
import { ConfigurationError, DomainError, NotFoundError, StrataError } from '../errors/strata-error';
import { parseSequencePosition } from '../event-store/position';
import { ForbiddenError, RateLimitedError, UnauthenticatedError } from '../errors/access-errors';
import { httpStatusOf } from './http-status';
import { RequestValidationError } from './request-validation-error';

class OverdrawnError extends DomainError {
  constructor() {
    super('OVERDRAWN', 'Overdrawn.');
  }
}

class ThingNotFoundError extends NotFoundError {
  constructor() {
    super('THING_NOT_FOUND', 'No such thing.');
  }
}

function fastifyError(statusCode: number): Error {
  return Object.assign(new Error('from fastify'), { statusCode, code: 'FST_ERR_SOMETHING' });
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('httpStatusOf', () => {
  const wrongRevision = new WrongExpectedRevisionError('Account-1', 3n, 4n);

  it.each<[string, unknown, number]>([
    ['a stale expected revision', wrongRevision, 412],
    ['a conflict that outlived its retries', new ConcurrencyConflictError('Account-1', 10, wrongRevision), 409],
    ['a duplicate event id', new DuplicateEventIdError('Account-1', 'e1'), 409],
    ['a missing stream', new StreamNotFoundError('Account-1'), 404],
    ['a NotFoundError subclass', new ThingNotFoundError(), 404],
    ['a DomainError subclass', new OverdrawnError(), 422],
    ['an invalid position', thrownBy(() => parseSequencePosition('nope')), 400],
    ['a body validation failure', new RequestValidationError([{ field: 'amount', message: 'bad' }]), 400],
    ['a header validation failure', new RequestValidationError([{ field: 'If-Match', message: 'bad' }], 'INVALID_HEADER'), 400],
    ['a missing or invalid token', new UnauthenticatedError('no token'), 401],
    ['a ForbiddenError subclass', new (class extends ForbiddenError {})('NOT_YOURS', 'not yours'), 403],
    ['a rate limit', new RateLimitedError(3, 10, 60_000), 429],
    ['a configuration error', new ConfigurationError('PORT', 'bad'), 500],
    ['another StrataError', new StrataError('SOMETHING', 'odd'), 500],
    ['a Nest HttpException', new HttpException('teapot', 418), 418],
    ['a Nest NotFoundException', new NotFoundException(), 404],
    ['a Nest BadRequestException', new BadRequestException(), 400],
    ['a Fastify body-too-large error', fastifyError(413), 413],
    ['a Fastify unsupported-media-type error', fastifyError(415), 415],
    ['an error with a nonsense statusCode', fastifyError(42), 500],
    ['a plain Error', new Error('boom'), 500],
    ['a thrown string', 'boom', 500],
  ])('maps %s', (_case, error, status) => {
    expect(httpStatusOf(error)).toBe(status);
  });
});
