import { type StrataError } from '@strata/core';
import { type ValidatedUpdate } from '@strata/core/adapter';
import { MongoInvalidArgumentError, MongoServerError } from 'mongodb';
import { MONGO_CODES, toStrataError } from './mongo-errors';
import { assertDistinctPaths } from './update-paths';

const server = (code: number, errmsg: string, extra: Record<string, unknown> = {}): MongoServerError =>
  new MongoServerError({ ok: 0, code, errmsg, ...extra });

describe('MongoDB errors as Strata errors', () => {
  it('reports a duplicate key with the collection, the index and the key, as the embedded store does', () => {
    const error = toStrataError(
      server(MONGO_CODES.duplicateKey, 'E11000 duplicate key error collection: t.users index: email_1 dup key: { email: "a@x" }', { keyValue: { email: 'a@x' } }),
      { collection: 'users' },
    );
    expect(error).toMatchObject({ code: 'DUPLICATE_KEY', collection: 'users', index: 'email_1', key: { email: 'a@x' } });
  });

  it('names the update when the server refuses to apply it, so the operator and path are visible', () => {
    const update = { $push: { name: 'x' } };
    const error = toStrataError(server(MONGO_CODES.badValue, "The field 'name' must be an array but is of type string"), { collection: 'people', update }) as StrataError;
    expect(error.code).toBe('INVALID_UPDATE');
    expect(error.message).toContain('$push');
    expect(error.message).toContain('name');
  });

  it('maps write conflicts, immutable _id, index conflicts and aborted transactions', () => {
    expect(toStrataError(server(MONGO_CODES.writeConflict, 'WriteConflict'), { collection: 'c', subject: 'i1' })).toMatchObject({ code: 'WRITE_CONFLICT', id: 'i1' });
    expect(toStrataError(server(MONGO_CODES.immutableField, "would modify the immutable field '_id'"), { collection: 'c' })).toMatchObject({ code: 'IMMUTABLE_FIELD' });
    expect(toStrataError(server(MONGO_CODES.indexKeySpecsConflict, 'conflict'), { collection: 'c' })).toMatchObject({ code: 'INDEX_CONFLICT' });
    expect(toStrataError(server(MONGO_CODES.noSuchTransaction, 'aborted'), { collection: 'c' })).toMatchObject({ code: 'TRANSACTION_ABORTED' });
    expect(toStrataError(server(13, 'not authorized'), { collection: 'c' })).toMatchObject({ code: 'READ_STORE_UNAVAILABLE' });
  });

  it('reports bad queries and oversized documents as validation errors, not an unavailable store', () => {
    expect(toStrataError(server(MONGO_CODES.exclusionInInclusionProjection, 'Cannot do exclusion on field b in inclusion projection'), { collection: 'c' })).toMatchObject({ code: 'INVALID_FIND_OPTIONS' });
    expect(toStrataError(server(MONGO_CODES.invalidRegex, 'Regular expression is invalid: missing )'), { collection: 'c' })).toMatchObject({ code: 'INVALID_FILTER' });
    expect(toStrataError(server(MONGO_CODES.bsonObjectTooLarge, 'BSONObj size: 17000000 is invalid'), { collection: 'c' })).toMatchObject({ code: 'INVALID_DOCUMENT' });
    expect(toStrataError(server(MONGO_CODES.updatedDocumentTooLarge, 'Resulting document after update is larger than 16777216'), { collection: 'c', update: {} })).toMatchObject({ code: 'INVALID_DOCUMENT' });
    expect(toStrataError(new MongoInvalidArgumentError('Document is larger than the maximum size 16777216'), { collection: 'c' })).toMatchObject({ code: 'INVALID_DOCUMENT' });
    expect(toStrataError(server(MONGO_CODES.badValue, '$in needs an array'), { collection: 'c' })).toMatchObject({ code: 'INVALID_FILTER' });
  });

  it("passes a unit of work's own failure through untouched", () => {
    const own = new Error('swap failed');
    expect(toStrataError(own, { collection: '(unit of work)' })).toBe(own);
  });
});

describe('conflicting update paths', () => {
  const update = (entries: [string, Record<string, unknown>][]): ValidatedUpdate => new Map(entries);

  it('refuses one path twice, or a path and its parent, across operators', () => {
    expect(() => assertDistinctPaths(update([['$set', { age: 1 }], ['$inc', { age: 1 }]]))).toThrow(/'age'/);
    expect(() => assertDistinctPaths(update([['$set', { a: 1 }], ['$unset', { 'a.b': '' }]]))).toThrow(/INVALID|conflict/);
  });

  it('accepts distinct paths, including shared prefixes that are not parents', () => {
    expect(() => assertDistinctPaths(update([['$set', { a: 1, ab: 2 }], ['$inc', { 'c.d': 1, 'c.e': 1 }]]))).not.toThrow();
  });
});
