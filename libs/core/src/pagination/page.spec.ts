import { pageOf } from './page';
import { decodeCursor } from './page-cursor';

const docs = [{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }];
const view = (doc: { _id: string }) => doc._id.toUpperCase();

describe('pageOf', () => {
  it('keeps limit items and points next at the last of them when one more was fetched', () => {
    const page = pageOf(docs, 2, (doc) => doc._id, view);
    expect(page.items).toEqual(['A', 'B']);
    expect(decodeCursor(page.next ?? '', /^[a-z]$/)).toBe('b');
  });

  it('has no next page when no extra document came back', () => {
    expect(pageOf(docs, 3, (doc) => doc._id, view)).toEqual({ items: ['A', 'B', 'C'], next: null });
    expect(pageOf([], 3, (doc: { _id: string }) => doc._id, view)).toEqual({ items: [], next: null });
  });
});
