import { StrataError } from '../errors/strata-error';

/**
 * A global position in the log. Opaque to users; within one store, positions are totally
 * ordered by plain string comparison, because every encoding is fixed-width lowercase hex.
 */
export type Position = string & { readonly __brand: 'Position' };

const SEQUENCE = /^[0-9a-f]{16}$/;

/** Encodes a store sequence number (1, 2, 3, ...) as a position. */
export function positionFromSequence(sequence: bigint | number): Position {
  return BigInt(sequence).toString(16).padStart(16, '0') as Position;
}

/** Decodes a position that `positionFromSequence` made. */
export function sequenceFromPosition(position: Position): bigint {
  return BigInt(`0x${position}`);
}

/** Whether text has the shape `positionFromSequence` gives. */
export function isSequencePosition(text: string): boolean {
  return SEQUENCE.test(text);
}

/** Validates untrusted text (a header, a CLI argument) against a store's position format. */
export function parsePositionMatching(text: string, format: RegExp): Position {
  if (!format.test(text)) {
    throw new StrataError(
      'INVALID_POSITION',
      `'${text.slice(0, 40)}' is not a position. Send back the 'position' string a command returned.`,
    );
  }
  return text as Position;
}

/** Validates untrusted text (a header, a CLI argument) as a sequence position. */
export function parseSequencePosition(text: string): Position {
  return parsePositionMatching(text, SEQUENCE);
}

/** Orders two positions from the same store. */
export function comparePositions(a: Position, b: Position): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
