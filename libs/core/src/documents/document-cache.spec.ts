import { DocumentCache, IdFilter } from './document-cache';

const json = (id: string, n = 0) => JSON.stringify({ _id: id, n });

describe('IdFilter', () => {
  it('never forgets an id it was given, across stages', () => {
    const filter = new IdFilter();
    const ids = Array.from({ length: 300_000 }, (_, n) => `id-${n}`);
    for (const id of ids) filter.add(id);
    expect(ids.every((id) => filter.mayHave(id))).toBe(true);
  });

  it('says no to almost every id it was not given', () => {
    const filter = new IdFilter();
    for (let n = 0; n < 100_000; n++) filter.add(n.toString(16).padStart(16, '0'));
    let falsePositives = 0;
    for (let n = 0; n < 100_000; n++) if (filter.mayHave(`other-${n}`)) falsePositives += 1;
    expect(falsePositives).toBeLessThan(100);
    expect(new IdFilter().mayHave('anything')).toBe(false);
  });
});

describe('DocumentCache', () => {
  const cache = (empty = true, maxCharacters = 1_000_000) => new DocumentCache(new Map([['c', { empty }]]), { maxCharacters });

  it('knows a never-written id of a collection it saw empty is absent, and nothing of one it did not', () => {
    expect(cache(true).lookup('c', 'x')).toBeNull();
    expect(cache(false).lookup('c', 'x')).toBeUndefined();
    expect(cache(true).lookup('other', 'x')).toBeUndefined();
  });

  it('keeps what was read and what was updated, but only notes what was inserted', () => {
    const subject = cache(true);
    subject.committed('c', 'new', json('new'), true);
    // Written, so no longer known absent; not kept, so one read brings it back.
    expect(subject.lookup('c', 'new')).toBeUndefined();
    subject.fetched('c', 'new', json('new'));
    expect(subject.lookup('c', 'new')).toBe(json('new'));
    subject.committed('c', 'new', json('new', 1), false);
    expect(subject.lookup('c', 'new')).toBe(json('new', 1));
    subject.committed('c', 'new', null, false);
    expect(subject.lookup('c', 'new')).toBeNull();
  });

  it('replaces a known absence when the document is inserted', () => {
    const subject = cache(false);
    subject.fetched('c', 'x', null);
    expect(subject.lookup('c', 'x')).toBeNull();
    subject.committed('c', 'x', json('x'), true);
    expect(subject.lookup('c', 'x')).toBe(json('x'));
  });

  it('forgets the least recently used documents past its budget, keeping those in use', () => {
    const subject = cache(false, 10 * (64 + json('d000').length));
    subject.fetched('c', 'hot', json('hot'));
    for (let n = 0; n < 100; n++) {
      subject.fetched('c', `d${String(n).padStart(3, '0')}`, json(`d${n}`));
      expect(subject.lookup('c', 'hot')).toBe(json('hot'));
    }
    expect(subject.lookup('c', 'd000')).toBeUndefined();
    expect(subject.lookup('c', 'd099')).toBe(json('d99'));
  });

  it('stops covering a collection it forgets, and everything when cleared', () => {
    const subject = new DocumentCache(new Map([['a', { empty: true }], ['b', { empty: true }]]));
    subject.fetched('a', 'x', json('x'));
    subject.forget('a');
    expect(subject.covers('a')).toBe(false);
    expect(subject.lookup('a', 'x')).toBeUndefined();
    expect(subject.lookup('b', 'x')).toBeNull();
    subject.clear();
    expect(subject.lookup('b', 'x')).toBeUndefined();
  });
});
