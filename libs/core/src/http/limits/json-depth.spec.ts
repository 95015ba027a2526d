import { jsonNestsDeeperThan } from './json-depth';

const nested = (depth: number, open = '[', close = ']'): string => open.repeat(depth) + close.repeat(depth);

describe('jsonNestsDeeperThan', () => {
  it('counts arrays and objects alike, up to and past the limit', () => {
    expect(jsonNestsDeeperThan(nested(64), 64)).toBe(false);
    expect(jsonNestsDeeperThan(nested(65), 64)).toBe(true);
    expect(jsonNestsDeeperThan(`{"a":${'{"a":'.repeat(9)}1${'}'.repeat(10)}`, 10)).toBe(false);
    expect(jsonNestsDeeperThan(`{"a":${'{"a":'.repeat(10)}1${'}'.repeat(11)}`, 10)).toBe(true);
  });

  it('measures depth, not the number of brackets', () => {
    expect(jsonNestsDeeperThan(`[${'[1],'.repeat(10_000)}[1]]`, 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestsDeeperThan(JSON.stringify({ owner: '[[[[{{{{' }), 1)).toBe(false);
    expect(jsonNestsDeeperThan(JSON.stringify({ owner: 'a"[[[[\\"[[' }), 1)).toBe(false);
  });

  it('finds 2,000 levels without recursion', () => {
    expect(jsonNestsDeeperThan(`{"amount":${nested(100_000)}}`, 64)).toBe(true);
  });
});
