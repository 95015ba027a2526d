import type { IncomingHttpHeaders } from 'node:http';
import { commandContextFromHeaders, revisionETag } from './command-context-headers';
import { RequestValidationError } from './request-validation-error';

function failedFields(headers: IncomingHttpHeaders): string[] {
  try {
    commandContextFromHeaders(headers, 'corr');
  } catch (error) {
    if (error instanceof RequestValidationError) return error.errors.map((e) => e.field);
    throw error;
  }
  throw new Error('expected a RequestValidationError');
}

describe('commandContextFromHeaders', () => {
  it('carries the correlation id alone when no command headers are sent', () => {
    expect(commandContextFromHeaders({}, 'corr-1')).toEqual({ correlationId: 'corr-1' });
  });

  it('reads Idempotency-Key as the command id and If-Match as a bigint revision', () => {
    const context = commandContextFromHeaders({ 'idempotency-key': 'key-1', 'if-match': '"12"' }, 'corr-1');
    expect(context).toEqual({ correlationId: 'corr-1', commandId: 'key-1', expectedRevision: 12n });
  });

  it('reads revisions beyond 2^53 exactly', () => {
    expect(commandContextFromHeaders({ 'if-match': '"9007199254740993"' }, 'c').expectedRevision).toBe(9007199254740993n);
  });

  it("reads If-Match * as 'stream_exists'", () => {
    expect(commandContextFromHeaders({ 'if-match': '*' }, 'c').expectedRevision).toBe('stream_exists');
  });

  it.each(['1', 'W/"1"', '"-1"', '"1.5"', '"1", "2"', '', `"${'9'.repeat(21)}"`])('refuses If-Match %p', (value) => {
    expect(failedFields({ 'if-match': value })).toEqual(['If-Match']);
  });

  it.each(['', 'a b', 'k'.repeat(256), 'tab\there', 'naïve'])('refuses Idempotency-Key %p', (value) => {
    expect(failedFields({ 'idempotency-key': value })).toEqual(['Idempotency-Key']);
  });

  it.each(['', 'a b', 'c'.repeat(129), 'a/b', 'ü'])('refuses X-Correlation-Id %p', (value) => {
    expect(failedFields({ 'x-correlation-id': value })).toEqual(['X-Correlation-Id']);
  });

  it('accepts a correlation id of 128 allowed characters', () => {
    expect(() => commandContextFromHeaders({ 'x-correlation-id': 'aZ0._:-'.repeat(18).slice(0, 128) }, 'c')).not.toThrow();
  });

  it('reports every malformed header in one error', () => {
    expect(failedFields({ 'if-match': 'x', 'idempotency-key': '', 'x-correlation-id': '!' })).toEqual([
      'Idempotency-Key',
      'If-Match',
      'X-Correlation-Id',
    ]);
  });

  it('formats an ETag that If-Match accepts back', () => {
    const etag = revisionETag(7n);
    expect(etag).toBe('"7"');
    expect(commandContextFromHeaders({ 'if-match': etag }, 'c').expectedRevision).toBe(7n);
  });
});
