/** The comparison room's one ratio estimator: statistic(numerator) ÷ statistic(denominator) with a bootstrap CI, as numbers. No I/O. */
import { quantileRatioCi } from '../core/bootstrap.js';
import { quantileSorted } from '../core/quantile.js';
import { groupByRound, roundRatioCi, type SortedStatistic } from '../core/round-bootstrap.js';
import { STATISTIC_QUANTILES, statisticOf, type StatisticName } from '../core/statistics.js';

/** One side of a ratio: its values and, when they were taken in rounds, the round of each. */
export interface RatioSide {
  values: readonly number[];
  rounds?: readonly number[] | undefined;
}

/**
 * How the CI is drawn. `rounds`: rounds, then samples within them (round bootstrap; compare and run). `samples`:
 * samples only (percentile bootstrap), kept for containers-vs-wasm and the ratio-to-native chart so that the figures
 * they print stay as they were.
 */
export type RatioMode = 'rounds' | 'samples';

/** Options for a ratio. */
export interface RatioOptions {
  /** Default p50; `samples` mode takes quantiles only. */
  statistic?: StatisticName;
  mode?: RatioMode;
  /** Rounds of one run (interleaved): resample them paired when both sides have the same count, more than one. */
  pairRounds?: boolean;
  seed?: number;
  resamples?: number;
  level?: number;
}

/** A ratio with its CI. */
export interface Ratio {
  ratio: number;
  /** The statistic of each side over all its values (the ratio's terms). */
  statistics: { numerator: number; denominator: number };
  ci: { low: number; high: number; level: number; method: 'round-bootstrap' | 'percentile-bootstrap' };
  /** Rounds on each side (1 each in `samples` mode) and whether they were resampled paired. */
  rounds: { numerator: number; denominator: number };
  paired: boolean;
}

/** A statistic as a function of a sorted sample. */
export function statisticFn(name: StatisticName): SortedStatistic {
  const q = STATISTIC_QUANTILES[name];
  return q !== undefined ? (sorted) => quantileSorted(sorted, q) : (sorted) => statisticOf(sorted, name);
}

/** statistic(numerator) ÷ statistic(denominator) with its CI; both sides must hold values. */
export function statisticRatio(numerator: RatioSide, denominator: RatioSide, opts: RatioOptions = {}): Ratio {
  const stat = opts.statistic ?? 'p50';
  const seed = opts.seed ?? 1;
  const resamples = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  if (opts.mode === 'samples') {
    const q = STATISTIC_QUANTILES[stat];
    if (q === undefined) throw new RangeError(`a sample-bootstrap ratio takes a quantile, not ${stat}`);
    const r = quantileRatioCi(numerator.values, denominator.values, q, { seed, resamples, level });
    const of = (v: readonly number[]): number => quantileSorted(Float64Array.from(v).sort(), q);
    return {
      ratio: r.ratio,
      statistics: { numerator: of(numerator.values), denominator: of(denominator.values) },
      ci: { low: r.ci.low, high: r.ci.high, level: r.ci.level, method: 'percentile-bootstrap' },
      rounds: { numerator: 1, denominator: 1 },
      paired: false,
    };
  }
  const rn = groupByRound(numerator.values, numerator.rounds);
  const rd = groupByRound(denominator.values, denominator.rounds);
  const paired = !!opts.pairRounds && rn.length > 1 && rn.length === rd.length;
  const r = roundRatioCi(rn, rd, statisticFn(stat), { seed, resamples, level, paired });
  return {
    ratio: r.ratio,
    statistics: r.statistics,
    ci: { low: r.low, high: r.high, level: r.level, method: 'round-bootstrap' },
    rounds: { numerator: rn.length, denominator: rd.length },
    paired,
  };
}
