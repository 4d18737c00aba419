/** The statistics edgebench knows, computed from a sorted sample (nearest-rank quantiles). No I/O. */
import { quantileSorted } from './quantile.js';
import { mean, stddev } from './summary.js';

/** Every statistic a table, a comparison or a claim may name, in display order. */
export const STATISTICS = ['min', 'mean', 'stddev', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max'] as const;

/** One statistic's name. */
export type StatisticName = (typeof STATISTICS)[number];

/** The quantile (0–1) each percentile statistic stands for. */
export const STATISTIC_QUANTILES: Readonly<Partial<Record<StatisticName, number>>> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, 'p99.9': 0.999 };

/** Whether s names a known statistic. */
export function isStatistic(s: string): s is StatisticName {
  return (STATISTICS as readonly string[]).includes(s);
}

/** Computes statistic `name` of an ascending sorted, non-empty sample (stddev: sample, n − 1). */
export function statisticOf(sorted: ArrayLike<number>, name: StatisticName): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError(`${name} of an empty sample`);
  if (name === 'min') return sorted[0] as number;
  if (name === 'max') return sorted[n - 1] as number;
  if (name === 'mean') return mean(sorted);
  if (name === 'stddev') return stddev(sorted);
  return quantileSorted(sorted, STATISTIC_QUANTILES[name] as number);
}
