import { resolveFindOptions } from './find-options';
import { validateFilter } from './filter-validation';
import { toJsonDocument } from './json-document';

// What MongoDB refuses with a server error, refused by core first, so every store answers alike
// with a validation error instead of a store that looks unavailable.
describe('queries and documents every store refuses before the server', () => {
  it('refuses a projection that both includes and excludes fields, except _id', () => {
    expect(() => resolveFindOptions({ projection: { name: 1, age: 0 } })).toThrow(expect.objectContaining({ code: 'INVALID_FIND_OPTIONS' }) as Error);
    expect(() => resolveFindOptions({ projection: { name: 1, _id: 0 } })).not.toThrow();
    expect(() => resolveFindOptions({ projection: { name: 0, age: false } })).not.toThrow();
  });

  it('refuses a $regex that does not compile, or unknown $options flags', () => {
    expect(() => validateFilter({ name: { $regex: '(unclosed' } })).toThrow(expect.objectContaining({ code: 'INVALID_FILTER' }) as Error);
    expect(() => validateFilter({ name: { $regex: 'a', $options: 'q' } })).toThrow(expect.objectContaining({ code: 'INVALID_FILTER' }) as Error);
    expect(() => validateFilter({ name: { $regex: '^a.c$', $options: 'ix' } })).not.toThrow();
  });

  it("refuses a document over MongoDB's 16 MiB limit", () => {
    expect(() => toJsonDocument({ _id: 'big', text: 'x'.repeat(17 * 1024 * 1024) }, 'docs')).toThrow(expect.objectContaining({ code: 'INVALID_DOCUMENT' }) as Error);
    expect(() => toJsonDocument({ _id: 'fits', text: 'x'.repeat(1024 * 1024) }, 'docs')).not.toThrow();
  });
});
