import { comparePositions } from '@strata/core';
import { decodePosition, encodePosition, parseKurrentDbPosition } from './kurrentdb-position';

describe('KurrentDB positions', () => {
  it('round-trips { commit, prepare } through a fixed-width hex string', () => {
    const position = { commit: 123_456_789n, prepare: 123_456_700n };
    const encoded = encodePosition(position);
    expect(encoded).toMatch(/^[0-9a-f]{32}$/);
    expect(decodePosition(encoded)).toEqual(position);
    expect(decodePosition(encodePosition({ commit: 2n ** 64n - 1n, prepare: 0n }))).toEqual({ commit: 2n ** 64n - 1n, prepare: 0n });
  });

  it('orders positions as the log does: by commit, then by prepare', () => {
    const ordered = [
      { commit: 0n, prepare: 0n },
      { commit: 9n, prepare: 5n },
      { commit: 9n, prepare: 9n },
      { commit: 10n, prepare: 1n },
      { commit: 0x1_0000_0000n, prepare: 0n },
    ].map(encodePosition);
    const shuffled = [ordered[3], ordered[0], ordered[4], ordered[2], ordered[1]].map((p) => p as (typeof ordered)[number]);
    expect(shuffled.sort(comparePositions)).toEqual(ordered);
  });

  it('refuses parts outside 64 bits', () => {
    expect(() => encodePosition({ commit: -1n, prepare: 0n })).toThrow(expect.objectContaining({ code: 'INVALID_POSITION' }) as Error);
    expect(() => encodePosition({ commit: 2n ** 64n, prepare: 0n })).toThrow(/outside/);
  });

  it('validates untrusted text, refusing sequence positions of other stores', () => {
    const encoded = encodePosition({ commit: 0xabcn, prepare: 0xfn });
    expect(parseKurrentDbPosition(encoded)).toBe(encoded);
    for (const text of ['0000000000000007', encoded.toUpperCase(), `${encoded}0`, 'not-a-position']) {
      expect(() => parseKurrentDbPosition(text)).toThrow(/not a position/);
    }
  });
});
