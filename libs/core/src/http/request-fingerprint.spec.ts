import { requestFingerprint } from './request-fingerprint';

const deposit = { method: 'POST', route: '/accounts/:id/deposits', body: { amount: 5, note: { a: 1, b: [1, 2] } } };

describe('requestFingerprint', () => {
  it('is the same for the same request, whatever order the body keys come in and however the method is cased', () => {
    const reordered = { method: 'post', route: deposit.route, body: { note: { b: [1, 2], a: 1 }, amount: 5 } };
    expect(requestFingerprint(reordered)).toBe(requestFingerprint(deposit));
  });

  it.each([
    ['another method', { ...deposit, method: 'PUT' }],
    ['another route', { ...deposit, route: '/accounts/:id/withdrawals' }],
    ['another body value', { ...deposit, body: { ...deposit.body, amount: 6 } }],
    ['a body with one more field', { ...deposit, body: { ...deposit.body, extra: true } }],
    ['array items in another order', { ...deposit, body: { amount: 5, note: { a: 1, b: [2, 1] } } }],
    ['no body', { ...deposit, body: undefined }],
  ])('differs for %s', (_case, other) => {
    expect(requestFingerprint(other)).not.toBe(requestFingerprint(deposit));
  });

  it('is a short, URL-safe digest', () => {
    expect(requestFingerprint(deposit)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
