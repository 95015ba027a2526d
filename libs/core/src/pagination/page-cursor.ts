const BASE64URL = /^[A-Za-z0-9_-]{1,256}$/;

/** Cursor keys that are entity ids as `newEntityId` makes them: lower-case UUIDs. */
export const UUID_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Cursor keys that are event positions as the stores write them: lower-case hex. */
export const POSITION_KEY = /^[0-9a-f]{1,64}$/;

/** An opaque cursor for the page after `key`: the key in base64url, so clients do not build one. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** The key in a cursor `encodeCursor` made, or undefined when it is not such a cursor for a key matching `pattern`. */
export function decodeCursor(cursor: string, pattern: RegExp): string | undefined {
  if (!BASE64URL.test(cursor)) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  // Only the spelling encodeCursor makes round-trips, so no two cursors name the same page.
  if (encodeCursor(key) !== cursor || !pattern.test(key)) return undefined;
  return key;
}
