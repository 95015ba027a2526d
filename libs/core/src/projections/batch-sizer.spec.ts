import { BatchSizer, Pace } from './batch-sizer';

/** Takes `size` events at `msPerEvent` (plus `fixedMs`) each time; returns the sizes asked for. */
function run(pace: Pace, times: number, msPerEvent: number, fixedMs = 0): number[] {
  const sizes: number[] = [];
  for (let n = 0; n < times; n++) {
    const size = pace.size;
    sizes.push(size);
    pace.record(size, size, fixedMs + size * msPerEvent);
  }
  return sizes;
}

describe('Pace', () => {
  it('grows by at most half at a time while the work stays within the budget, up to the maximum', () => {
    expect(run(new Pace(1_000, 10), 8, 0.001)).toEqual([200, 300, 450, 675, 1_000, 1_000, 1_000, 1_000]);
  });

  it('shrinks to what the pace fits in the budget', () => {
    const pace = new Pace(10_000, 10);
    pace.record(200, 200, 20); // 0.1 ms an event
    expect(pace.size).toBe(100);
  });

  it('settles where work with a fixed cost per take fills the budget', () => {
    // 1 ms a take plus 0.002 ms an event: 2,000 events fill 5 ms.
    const sizes = run(new Pace(100_000, 5), 40, 0.002, 1);
    expect(sizes[sizes.length - 1]).toBeGreaterThan(1_800);
    expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(2_000);
  });

  it('weighs one slow take against the pace so far', () => {
    const pace = new Pace(10_000, 10);
    run(pace, 12, 0.01);
    expect(pace.size).toBe(1_000);
    pace.record(1_000, 1_000, 50); // five times slower
    expect(pace.size).toBeLessThan(1_000);
    expect(pace.size).toBeGreaterThan(300);
  });

  it('learns nothing from a short take at the end of the log', () => {
    const pace = new Pace(10_000, 10);
    pace.record(200, 3, 50);
    expect(pace.size).toBe(200);
  });

  it('never goes below one event or above the maximum', () => {
    const pace = new Pace(5, 10);
    expect(pace.size).toBe(5);
    run(pace, 5, 1_000);
    expect(pace.size).toBe(1);
  });
});

describe('BatchSizer', () => {
  it('yields to the event loop once a budget of time has passed since the last turn', async () => {
    const clock = { now: 0 };
    const sizer = new BatchSizer(1_000, 5, () => clock.now);
    const pause = sizer.slicer();
    expect(pause()).toBeUndefined();
    clock.now = 4;
    expect(pause()).toBeUndefined();
    clock.now = 5;
    const turn = pause();
    expect(turn).toBeInstanceOf(Promise);
    clock.now = 6;
    await turn;
    clock.now = 10;
    expect(pause()).toBeUndefined();
    clock.now = 11;
    expect(pause()).toBeInstanceOf(Promise);
  });
});
