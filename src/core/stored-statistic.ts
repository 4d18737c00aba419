/** Reads any statistic of a stored metric: from its summary, else (p95, a missing mean/σ) from its HDR histogram. No I/O. */
import type { MetricResult } from './analyze.js';
import type { Summary } from './summary.js';
import { decodeHistogram, histogramPercentile } from './histogram.js';
import { STATISTIC_QUANTILES, type StatisticName } from './statistics.js';

/** The summary field holding each statistic, where the result schema stores it. */
const SUMMARY_FIELD: Readonly<Partial<Record<StatisticName, 'min' | 'mean' | 'stddev' | 'p50' | 'p90' | 'p99' | 'p999' | 'max'>>> = {
  min: 'min', mean: 'mean', stddev: 'stddev', p50: 'p50', p90: 'p90', 'p99.9': 'p999', p99: 'p99', max: 'max',
};

/** Statistic `name` of a stored metric; one the summary lacks is read from the histogram (to its significant digits). */
export function storedStatistic(m: Pick<MetricResult, 'summary' | 'histogram'>, name: StatisticName): number {
  const field = SUMMARY_FIELD[name];
  const v: unknown = field ? (m.summary as Partial<Summary>)[field] : undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  const h = decodeHistogram(m.histogram);
  if (name === 'mean') return h.histogram.mean;
  if (name === 'stddev') return h.histogram.stdDeviation;
  if (name === 'min') return h.histogram.minNonZeroValue;
  if (name === 'max') return h.histogram.maxValue;
  // A bucket's highest equivalent value may lie beyond the sample's extremes: keep it within [min, max].
  const q = histogramPercentile(h, (STATISTIC_QUANTILES[name] as number) * 100);
  return Math.min(m.summary.max ?? q, Math.max(m.summary.min ?? q, q));
}
