import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entryPoints, exportedNames } from './entry-point-exports';

// The public API of every package entry point is pinned in public-api.json: a name added to or
// dropped from an index fails here until the list is changed with it, in the same commit, where
// a reviewer sees it. '@strata/core' holds what apps use; '@strata/core/adapter' what only
// adapters, test kits and tools use.

const pinned = JSON.parse(readFileSync(join(__dirname, 'public-api.json'), 'utf8')) as Record<string, string[]>;
const entries = entryPoints();

describe('the public API of each package entry point', () => {
  it.each(entries.map((entry) => [entry.specifier, entry.source] as const))('%s exports exactly its pinned names', (specifier, source) => {
    const expected = pinned[specifier];
    if (!expected) throw new Error(`${specifier} has no pinned export list: add it to test/packages/public-api.json`);
    const actual = exportedNames(source);
    expect({ specifier, added: actual.filter((name) => !expected.includes(name)), removed: expected.filter((name) => !actual.includes(name)) }).toEqual({
      specifier,
      added: [],
      removed: [],
    });
  });

  it('pins no entry point that a package no longer has', () => {
    expect(Object.keys(pinned).filter((specifier) => !entries.some((entry) => entry.specifier === specifier))).toEqual([]);
  });

  it("exports each of core's names from one entry point only, so an app never meets an adapter's name", () => {
    const app = new Set(pinned['@strata/core']);
    expect((pinned['@strata/core/adapter'] ?? []).filter((name) => app.has(name))).toEqual([]);
  });
});
