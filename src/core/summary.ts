/** Distribution summaries: count, extremes, percentiles, mean, stddev. No I/O. */
import { quantileSorted, sortedCopy } from './quantile.js';

/** Summary of one metric's measured (non-warm-up, successful) samples. */
export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single sample. */
  stddev: number;
}

/** Arithmetic mean. */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s / values.length;
}

/** Sample standard deviation (Bessel-corrected). */
export function stddev(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - m;
    s += d * d;
  }
  return Math.sqrt(s / (n - 1));
}

/** Summarises values with exact nearest-rank percentiles. Throws on an empty sample. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('cannot summarise an empty sample');
  const s = sortedCopy(values);
  return {
    count: s.length,
    min: s[0] as number,
    p50: quantileSorted(s, 0.5),
    p90: quantileSorted(s, 0.9),
    p99: quantileSorted(s, 0.99),
    p999: quantileSorted(s, 0.999),
    max: s[s.length - 1] as number,
    mean: mean(s),
    stddev: stddev(s),
  };
}
