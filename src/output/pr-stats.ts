/** The figures of one PR-table row: the stored summary, plus p95 from the observation's values (not stored). No I/O. */
import type { MetricResult } from '../core/analyze.js';
import { sortedCopy } from '../core/quantile.js';
import { statisticOf } from '../core/statistics.js';
import { mean, stddev } from '../core/summary.js';
import type { Observation } from '../result/observation.js';

/** One metric's row figures, in the metric's unit. */
export interface RowStats {
  n: number;
  min: number;
  mean: number;
  stddev: number;
  p50: number;
  p50Ci: { low: number; high: number };
  /** Null when the observation holds no values for the metric. */
  p95: number | null;
  /** Whether p95 was read from raw samples (exact) rather than histogram buckets (to the histogram's precision). */
  p95Exact: boolean;
  p99: number;
  max: number;
}

/** Nearest-rank p95 of the values, or null for none. */
export function p95Of(values: readonly number[] | undefined): number | null {
  return values?.length ? statisticOf(sortedCopy(values), 'p95') : null;
}

/** `stored` when it is a finite number (older results may lack a field), else `fallback()`. */
function orElse(stored: number | undefined, fallback: () => number): number {
  return typeof stored === 'number' && Number.isFinite(stored) ? stored : fallback();
}

/** Figures of metric `m` of the observation's result; mean, σ and min from the values where the summary lacks them. */
export function rowStats(o: Observation, m: MetricResult): RowStats {
  const s = m.summary;
  const values = o.values[m.name] ?? [];
  return {
    n: s.count,
    min: orElse(s.min, () => (values.length ? Math.min(...values) : Number.NaN)),
    mean: orElse(s.mean, () => mean(values)),
    stddev: orElse(s.stddev, () => stddev(values)),
    p50: s.p50,
    p50Ci: { low: m.ci.p50.low, high: m.ci.p50.high },
    p95: p95Of(values),
    p95Exact: o.source === 'raw-samples',
    p99: s.p99,
    max: s.max,
  };
}
