/** Seeded percentile-bootstrap confidence intervals. No I/O. */
import { quantileSorted, sortedCopy } from './quantile.js';
import { randomIndex, seededRng, type Rng } from './rng.js';

/** A two-sided confidence interval. */
export interface ConfidenceInterval {
  low: number;
  high: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
  method: 'percentile-bootstrap';
  resamples: number;
  seed: number;
}

/** Options for a bootstrap. */
export interface BootstrapOptions {
  level?: number;
  resamples?: number;
  seed?: number;
}

const DEFAULTS = { level: 0.95, resamples: 2000, seed: 0x5eed } as const;

/** Draws a resample (with replacement) into `out` and sorts it in place. */
function resampleSorted(values: ArrayLike<number>, rng: Rng, out: Float64Array): Float64Array {
  const n = values.length;
  for (let i = 0; i < n; i++) out[i] = values[randomIndex(rng, n)] as number;
  return out.sort();
}

/** Bootstrap distribution of the q-quantile of `values`. */
function bootstrapQuantiles(values: ArrayLike<number>, q: number, resamples: number, rng: Rng): Float64Array {
  const buf = new Float64Array(values.length);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) stats[b] = quantileSorted(resampleSorted(values, rng, buf), q);
  return stats.sort();
}

/** Percentile-bootstrap CI for the q-quantile (q = 0.5 → median). */
export function quantileCi(values: readonly number[], q: number, opts: BootstrapOptions = {}): ConfidenceInterval {
  const { level, resamples, seed } = { ...DEFAULTS, ...opts };
  if (values.length === 0) throw new RangeError('bootstrap of an empty sample');
  const stats = bootstrapQuantiles(values, q, resamples, seededRng(seed));
  const alpha = (1 - level) / 2;
  return {
    low: quantileSorted(stats, alpha),
    high: quantileSorted(stats, 1 - alpha),
    level,
    method: 'percentile-bootstrap',
    resamples,
    seed,
  };
}

/** A ratio estimate with its CI. */
export interface RatioEstimate {
  ratio: number;
  ci: ConfidenceInterval;
}

/**
 * Ratio of the q-quantiles of two independent samples (numerator / denominator), with a
 * percentile-bootstrap CI from resampling each sample independently.
 */
export function quantileRatioCi(
  numerator: readonly number[],
  denominator: readonly number[],
  q = 0.5,
  opts: BootstrapOptions = {},
): RatioEstimate {
  const { level, resamples, seed } = { ...DEFAULTS, ...opts };
  if (numerator.length === 0 || denominator.length === 0) throw new RangeError('ratio of an empty sample');
  const rng = seededRng(seed);
  const a = bootstrapQuantiles(numerator, q, resamples, rng);
  const b = bootstrapQuantiles(denominator, q, resamples, rng);
  // Pair independent bootstrap replicates in a shuffled order so the sorted arrays do not correlate.
  const ratios = new Float64Array(resamples);
  for (let i = 0; i < resamples; i++) ratios[i] = (a[i] as number) / (b[randomIndex(rng, resamples)] as number);
  ratios.sort();
  const alpha = (1 - level) / 2;
  const point = quantileSorted(sortedCopy(numerator), q) / quantileSorted(sortedCopy(denominator), q);
  return {
    ratio: point,
    ci: { low: quantileSorted(ratios, alpha), high: quantileSorted(ratios, 1 - alpha), level, method: 'percentile-bootstrap', resamples, seed },
  };
}
