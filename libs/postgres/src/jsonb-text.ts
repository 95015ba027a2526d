/**
 * The JSON text of `value` with every object's keys in the order PostgreSQL's jsonb keeps them:
 * shorter keys first (by UTF-8 bytes), then bytewise. Read back, the driver parses jsonb's output
 * into objects with exactly these keys in this order, so `JSON.stringify` of what a read returns
 * gives this text again: a checksum of it is verified without sorting anything on the read path.
 */
export function jsonbOrderedText(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (isPlainObject(inner) ? inJsonbOrder(inner) : inner));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function inJsonbOrder(object: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(object);
  if (keys.length < 2) return object;
  // Entries, not assignment: a key named __proto__ stays a plain key, as JSON.parse makes it.
  return Object.fromEntries(keys.sort(jsonbKeyOrder).map((key) => [key, object[key]]));
}

/** Printable ASCII: byte order is code unit order, and byte length is length (anything else takes the slow path). */
const ASCII = /^[\u0020-\u007e]*$/;

function jsonbKeyOrder(a: string, b: string): number {
  if (ASCII.test(a) && ASCII.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length - right.length || Buffer.compare(left, right);
}
