import { decodeCursor, encodeCursor, POSITION_KEY, UUID_KEY } from './page-cursor';

const id = '0b6e3c1a-8f7d-4c2e-9a1b-2c3d4e5f6a7b';

describe('page cursors', () => {
  it('round-trips a key through an opaque base64url cursor', () => {
    const cursor = encodeCursor(id);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, UUID_KEY)).toBe(id);
    expect(decodeCursor(encodeCursor('00000000000000ff'), POSITION_KEY)).toBe('00000000000000ff');
  });

  it.each([
    ['a key of the wrong shape', encodeCursor('not-a-uuid')],
    ['text that is not base64url', 'a+b/c='],
    ['a second spelling of the same bytes', `${encodeCursor(id)}=`],
    ['an empty cursor', ''],
  ])('refuses %s', (_case, cursor) => {
    expect(decodeCursor(cursor, UUID_KEY)).toBeUndefined();
  });
});
