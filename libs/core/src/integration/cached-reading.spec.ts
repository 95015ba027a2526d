import { CachedReading } from './cached-reading';

describe('CachedReading', () => {
  let clock: number;
  let reads: number;
  let answer: () => Promise<number>;
  const now = () => clock;
  const read = () => {
    reads += 1;
    return answer();
  };

  beforeEach(() => {
    clock = 1_000;
    reads = 0;
    answer = () => Promise.resolve(reads * 10);
  });

  it('answers from the last read until it is maxAgeMs old, then reads again', async () => {
    const pending = new CachedReading(read, 2_000, now);
    expect(await pending.get()).toBe(10);
    clock += 1_999;
    expect(await pending.get()).toBe(10);
    expect(reads).toBe(1);
    clock += 1;
    expect(await pending.get()).toBe(20);
    expect(reads).toBe(2);
  });

  it('shares one read among callers that ask while it is under way', async () => {
    let release: (value: number) => void = () => undefined;
    answer = () => new Promise((resolve) => (release = resolve));
    const pending = new CachedReading(read, 2_000, now);
    const asked = [pending.get(), pending.get(), pending.get()];
    release(7);
    expect(await Promise.all(asked)).toEqual([7, 7, 7]);
    expect(reads).toBe(1);
  });

  it('ages an answer from when it came, so a slow read is not repeated at once', async () => {
    let release: (value: number) => void = () => undefined;
    answer = () => new Promise((resolve) => (release = resolve));
    const pending = new CachedReading(read, 2_000, now);
    const first = pending.get();
    clock += 5_000;
    release(3);
    await first;
    clock += 1_000;
    expect(await pending.get()).toBe(3);
    expect(reads).toBe(1);
  });

  it('keeps no failed read: the next caller reads again', async () => {
    answer = () => Promise.reject(new Error('broker gone'));
    const pending = new CachedReading(read, 2_000, now);
    await expect(pending.get()).rejects.toThrow('broker gone');
    answer = () => Promise.resolve(5);
    expect(await pending.get()).toBe(5);
    expect(reads).toBe(2);
  });

  it('reads every time with a maximum age of 0, and refuses a negative one', async () => {
    const pending = new CachedReading(read, 0, now);
    await pending.get();
    await pending.get();
    expect(reads).toBe(2);
    expect(() => new CachedReading(read, -1, now)).toThrow('must be 0 ms or more, not -1');
  });
});
