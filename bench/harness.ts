// The contract between `bench/run.ts` and each figure module in `bench/figures/`.
// A figure runs in its own child process (so its memory and event loop are its own) and
// prints its rows as one JSON line prefixed with ROWS_MARKER; everything else it prints is
// progress for the reader.

/** One line of `bench/results/latest.json`. */
export interface BenchRow {
  /** What was measured, e.g. `1 appends/s, 1 event per call, FULL`. */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The baseline measured in the same run, in the same unit; null when the figure has none. */
  readonly baseline: number | null;
  /** value / baseline, or null without a baseline. */
  readonly ratio: number | null;
  /** The target as text, e.g. `>= 0.8x`, `<= 50 ms`. */
  readonly target: string;
  /** Whether the target holds; null for informational rows. */
  readonly met: boolean | null;
}

export interface FigureContext {
  /** `npm run bench -- --quick`: a smaller run; the whole suite must finish in under 3 minutes. */
  readonly quick: boolean;
  /** A fresh temporary folder for this figure's files, removed after it. */
  readonly workDir: string;
  /** Progress for the reader (stderr, so it never mixes with the rows). */
  log(line: string): void;
}

export interface Figure {
  /** Short id used by `--only`, e.g. `appends`. */
  readonly id: string;
  readonly title: string;
  run(context: FigureContext): Promise<BenchRow[]>;
}

export const ROWS_MARKER = '@@strata-bench-rows ';

/** A row with a baseline: the ratio and whether it reaches `min` (higher is better). */
export function ratioRow(name: string, value: number, unit: string, baseline: number, min: number): BenchRow {
  const ratio = baseline === 0 ? 0 : value / baseline;
  return { name, value: round(value), unit, baseline: round(baseline), ratio: round(ratio, 3), target: `>= ${min}x`, met: ratio >= min };
}

/** value / baseline, rounded; null without a (non-zero) baseline. */
function baselineFields(value: number, baseline: number | null): Pick<BenchRow, 'baseline' | 'ratio'> {
  return {
    baseline: baseline === null ? null : round(baseline),
    ratio: baseline === null || baseline === 0 ? null : round(value / baseline, 3),
  };
}

/** A row held to a ceiling (lower is better), e.g. a latency. */
export function ceilingRow(name: string, value: number, unit: string, max: number, baseline: number | null = null): BenchRow {
  return { name, value: round(value), unit, ...baselineFields(value, baseline), target: `<= ${max} ${unit}`, met: value <= max };
}

/** A row held to a floor (higher is better) with no baseline ratio target. */
export function floorRow(name: string, value: number, unit: string, min: number, baseline: number | null = null): BenchRow {
  return { name, value: round(value), unit, ...baselineFields(value, baseline), target: `>= ${min} ${unit}`, met: value >= min };
}

/** A figure shown for context, held to no target. */
export function infoRow(name: string, value: number, unit: string, baseline: number | null = null): BenchRow {
  return { name, value: round(value), unit, ...baselineFields(value, baseline), target: '-', met: null };
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** The p-th percentile (0..100) of samples, by nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
