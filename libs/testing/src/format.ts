import { diff } from 'jest-diff';
import { inspect } from 'node:util';

// jest-diff returns this text, unexported, when two values print identically.
const NO_VISUAL_DIFFERENCE = 'no visual difference';

const uncoloured = (text: string): string => text;

// No colours: the message must read the same in a terminal, a CI log and a string assertion.
const UNCOLOURED = {
  aColor: uncoloured,
  bColor: uncoloured,
  changeColor: uncoloured,
  commonColor: uncoloured,
  patchColor: uncoloured,
  includeChangeCounts: true,
};

/** How a diff names its two sides: `expected` is printed with `-`, `actual` with `+`. */
export interface DiffLabels {
  readonly expected: string;
  readonly actual: string;
}

/** A unified diff of two values, expected (`-`) against actual (`+`). */
export function diffValues(expected: unknown, actual: unknown, labels: DiffLabels): string {
  const options = { ...UNCOLOURED, aAnnotation: labels.expected, bAnnotation: labels.actual };
  const text = diff(expected, actual, options) ?? `${printValue(expected)}\n\n${printValue(actual)}`;
  if (!text.includes(NO_VISUAL_DIFFERENCE)) return text;
  // Deep equality failed but the printouts match, so the difference is one printing hides.
  return `${text}\nThey differ in something the printout does not show, such as an object's prototype.`;
}

/** A unified diff of two event lists, expected (`-`) against actual (`+`). */
export function diffEvents(expected: readonly unknown[], actual: readonly unknown[]): string {
  return diffValues(expected, actual, { expected: 'Expected events', actual: 'Actual events' });
}

/** A value printed in full, however deeply nested. */
export function printValue(value: unknown): string {
  return inspect(value, { depth: null, breakLength: 100 });
}

/** `Name [CODE]: message` for an error, so a failure says exactly what was thrown. */
export function describeThrown(error: unknown): string {
  if (!(error instanceof Error)) return `the non-Error value ${printValue(error)}`;
  const code = (error as { code?: unknown }).code;
  const codePart = typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : '';
  return `${error.name}${codePart}: ${error.message}`;
}

/** "1 event" or "3 events". */
export function countEvents(events: readonly unknown[]): string {
  return countOf(events.length, 'event');
}

/** "1 document" or "0 documents": a count with its noun. */
export function countOf(count: number, noun: string): string {
  return count === 1 ? `1 ${noun}` : `${count} ${noun}s`;
}

/**
 * Freezes plain objects and arrays in place, all the way down, so that code which mutates
 * its input fails loudly instead of passing by accident. Class instances are left alone.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return value;
  // Freezing before descending also stops the walk on cycles.
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}
