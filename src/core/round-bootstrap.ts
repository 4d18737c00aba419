/**
 * Two-level (round, then sample) bootstrap of a ratio of statistics, after Kalibera & Jones: variation lives between
 * rounds as much as between samples, so a replicate first draws rounds with replacement, then samples within each
 * drawn round, and pools them. Rounds taken interleaved in one run (A B A B …) are drawn *paired* — the same round
 * indices on both sides — so drift on the machine that hit both sides alike cancels. No I/O.
 */
import { quantileSorted } from './quantile.js';
import { randomIndex, seededRng, type Rng } from './rng.js';

/** A statistic of a sorted sample (e.g. its median). */
export type SortedStatistic = (sorted: Float64Array) => number;

/** The q-quantile as a statistic. */
export function quantileStatistic(q: number): SortedStatistic {
  return (sorted) => quantileSorted(sorted, q);
}

/** Values grouped by the round they were taken in (rounds in the order given; empty rounds dropped). */
export type Rounds = readonly (readonly number[])[];

/** Groups `values` by `rounds[i]` (the round of values[i]); without round indices, all values are one round. */
export function groupByRound(values: readonly number[], rounds?: readonly number[]): number[][] {
  if (!rounds) return values.length ? [[...values]] : [];
  if (rounds.length !== values.length) throw new RangeError(`round indices (${rounds.length}) do not match values (${values.length})`);
  const by = new Map<number, number[]>();
  values.forEach((v, i) => {
    const r = rounds[i] as number;
    const list = by.get(r);
    if (list) list.push(v);
    else by.set(r, [v]);
  });
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** Options for a round bootstrap. */
export interface RoundBootstrapOptions {
  /** Two-sided confidence level, e.g. 0.95 (or 1 − 0.05/m under a family-wise correction over m metrics). */
  level?: number;
  resamples?: number;
  seed?: number;
  /** Draw the same round indices on both sides (rounds interleaved in one run); needs equal round counts. */
  paired?: boolean;
}

/** A ratio with its round-bootstrap CI. */
export interface RoundRatioEstimate {
  ratio: number;
  /** The statistic of each side, all its values pooled (the ratio's terms). */
  statistics: { numerator: number; denominator: number };
  low: number;
  high: number;
  level: number;
  resamples: number;
  seed: number;
  paired: boolean;
  /** Rounds on each side. */
  rounds: { numerator: number; denominator: number };
  method: 'round-bootstrap';
}

/** Total count of values over rounds. */
function total(rounds: Rounds): number {
  let n = 0;
  for (const r of rounds) n += r.length;
  return n;
}

/** One replicate of one side: the given round indices, samples drawn with replacement within each, sorted. */
function replicate(rounds: Rounds, picks: readonly number[], rng: Rng, out: Float64Array): Float64Array {
  let k = 0;
  for (const p of picks) {
    const round = rounds[p] as readonly number[];
    for (let j = 0; j < round.length; j++) out[k++] = round[randomIndex(rng, round.length)] as number;
  }
  return out.subarray(0, k).sort();
}

/** Round indices drawn with replacement. */
function drawRounds(count: number, rng: Rng): number[] {
  return Array.from({ length: count }, () => randomIndex(rng, count));
}

/** The statistic of all values pooled. */
export function pooledStatistic(rounds: Rounds, stat: SortedStatistic): number {
  return stat(Float64Array.from(rounds.flat()).sort());
}

/**
 * Ratio stat(numerator) ÷ stat(denominator) with a percentile CI from the two-level bootstrap. Paired: both sides
 * draw the same round indices (rounds taken in the same run, interleaved); otherwise each side draws its own.
 */
export function roundRatioCi(numerator: Rounds, denominator: Rounds, stat: SortedStatistic, opts: RoundBootstrapOptions = {}): RoundRatioEstimate {
  const level = opts.level ?? 0.95;
  const seed = opts.seed ?? 0x5eed;
  const alpha = (1 - level) / 2;
  // Enough replicates that each tail holds ≥ 10 of them, whatever the level.
  const resamples = Math.max(opts.resamples ?? 2000, Math.ceil(10 / alpha));
  const num = numerator.filter((r) => r.length > 0);
  const den = denominator.filter((r) => r.length > 0);
  if (!num.length || !den.length) throw new RangeError('ratio of an empty sample');
  const paired = !!opts.paired && num.length === den.length;
  if (opts.paired && !paired) throw new RangeError(`paired rounds need equal round counts (${num.length} vs ${den.length})`);
  const rng = seededRng(seed);
  const bufN = new Float64Array(total(num));
  const bufD = new Float64Array(total(den));
  const ratios = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    const pn = drawRounds(num.length, rng);
    const pd = paired ? pn : drawRounds(den.length, rng);
    ratios[b] = stat(replicate(num, pn, rng, bufN)) / stat(replicate(den, pd, rng, bufD));
  }
  ratios.sort();
  const statistics = { numerator: pooledStatistic(num, stat), denominator: pooledStatistic(den, stat) };
  const ratio = statistics.numerator / statistics.denominator;
  // A bootstrap over R units sees (R − 1)/R of their variance: widen the tails (in log space, around the estimate)
  // by √(R/(R − 1)) for the side with fewer rounds, so a handful of rounds does not give an over-confident CI.
  const r = Math.min(num.length, den.length);
  const k = r > 1 ? Math.sqrt(r / (r - 1)) : 1;
  const widen = (bound: number): number => (ratio > 0 && bound > 0 ? ratio * Math.exp(k * Math.log(bound / ratio)) : bound);
  return {
    ratio,
    statistics,
    low: Math.min(widen(quantileSorted(ratios, alpha)), ratio),
    high: Math.max(widen(quantileSorted(ratios, 1 - alpha)), ratio),
    level,
    resamples,
    seed,
    paired,
    rounds: { numerator: num.length, denominator: den.length },
    method: 'round-bootstrap',
  };
}
