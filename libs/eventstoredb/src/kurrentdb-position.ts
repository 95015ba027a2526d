import { StrataError, type Position } from '@strata/core';
import { parsePositionMatching } from '@strata/core/adapter';
import type { Position as KurrentPosition } from '@kurrent/kurrentdb-client';

const WIDTH = 16;
const MAX = (1n << 64n) - 1n;
const ENCODED = /^[0-9a-f]{32}$/;

/**
 * Encodes a KurrentDB `{ commit, prepare }` as 32 hex digits, commit first: fixed width, so
 * `comparePositions` (length, then plain string order) orders them as the log does.
 */
export function encodePosition({ commit, prepare }: KurrentPosition): Position {
  for (const part of [commit, prepare]) {
    if (part < 0n || part > MAX) throw new StrataError('INVALID_POSITION', `KurrentDB position part ${part} is outside 0..2^64-1.`);
  }
  return `${commit.toString(16).padStart(WIDTH, '0')}${prepare.toString(16).padStart(WIDTH, '0')}` as Position;
}

/** Decodes a position that `encodePosition` made. */
export function decodePosition(position: Position): KurrentPosition {
  return { commit: BigInt(`0x${position.slice(0, WIDTH)}`), prepare: BigInt(`0x${position.slice(WIDTH)}`) };
}

/** Validates untrusted text (a header, a CLI argument) as a KurrentDB position. */
export function parseKurrentDbPosition(text: string): Position {
  return parsePositionMatching(text, ENCODED);
}
