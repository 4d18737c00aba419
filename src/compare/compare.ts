/**
 * A/B comparison of results: per metric, the ratio candidate ÷ base of a statistic with a CI from a two-level
 * bootstrap that resamples rounds, then samples within them (src/core/round-bootstrap.ts), so that variation between
 * rounds — what moves a whole run — is in the CI. Rounds of the same run (interleaved A B A B …) are resampled
 * paired. No I/O.
 *
 * Verdict (lower-is-better metrics; mirrored for higher-is-better), with a minimum effect t (default 5%): the whole
 * CI above 1 + t → regression; the whole CI below 1 / (1 + t) → improvement; the whole CI within
 * [1 / (1 + t), 1 + t] → no change; a CI that straddles either bound → inconclusive. A regression or improvement
 * in the direction the two sides' host load would explain (the candidate ran under clearly more CPU pressure and
 * got worse, or the base did and the candidate got better) is inconclusive too, naming the load difference. The CIs
 * of one pair are widened together (Bonferroni over its directed metrics), so the pair's verdict — the gate's unit —
 * keeps a 5% chance of a false alarm however many metrics it has. A `neither` metric that moves is "changed".
 */
import type { Unit } from '../core/histogram.js';
import type { Better } from '../core/metric.js';
import { STATISTICS, type StatisticName } from '../core/statistics.js';
import type { Observation } from '../result/observation.js';
import { displayRuntime, runtimeLabel, simulationMark } from '../result/label.js';
import type { HostLoad, Result } from '../result/types.js';
import { loadDifference, type LoadDifference } from './load-difference.js';
import { statisticRatio } from './ratio.js';

/** Statistics a comparison can be made on. */
export type CompareStatistic = StatisticName;
export const COMPARE_STATISTICS: readonly CompareStatistic[] = STATISTICS;

/** Options for a comparison. */
export interface CompareOptions {
  statistic?: CompareStatistic;
  /** Minimum effect that counts, relative, e.g. 0.05 for 5%: smaller changes are never a regression. */
  threshold?: number;
  /** Compare even when layer, fixture or hardware differ. */
  force?: boolean;
  /** Only these metrics (default: every metric both results carry). */
  metrics?: readonly string[];
  seed?: number;
  resamples?: number;
  /** Family-wise confidence of a pair's verdict (default 0.95), split over its directed metrics. */
  level?: number;
  /** Judge regressions even when the host load differed enough to explain them (default false). */
  ignoreLoad?: boolean;
}

/** A metric's verdict. */
export type Change = 'regressed' | 'improved' | 'no change' | 'inconclusive' | 'changed';

/** Outcome for one metric. */
export interface MetricComparison {
  metric: string;
  unit: Unit;
  better: Better;
  base: number;
  candidate: number;
  ratio: number;
  ci: { low: number; high: number; level: number };
  change: Change;
  /** faster / slower / no change for durations; better / worse otherwise; higher / lower for a `neither` metric; inconclusive. */
  word: string;
  /** Why a verdict is inconclusive (the CI straddles the minimum effect; the load differs; no ratio). */
  why?: string;
  baseN: number;
  candidateN: number;
  /** Rounds on each side, and whether they were resampled paired (interleaved in one run). */
  rounds: { base: number; candidate: number; paired: boolean };
  source: string;
}

/** Outcome for one base/candidate pair. */
export interface PairComparison {
  label: string;
  base: Observation;
  candidate: Observation;
  /** Differences that make the pair incomparable (overridden when forced). */
  differences: string[];
  forced: boolean;
  /** Why nothing was compared (a result not measured or invalid), when so. */
  skipped?: string;
  metrics: MetricComparison[];
  /** The pair's verdict over its metrics (absent when nothing was compared). */
  verdict?: PairVerdict;
  /** The two sides' host load, in words (and whether it differed enough to matter). */
  load?: string;
}

/** A pair's verdict: regression if any metric regressed; else inconclusive if any is; else improvement if any improved. */
export type PairVerdict = 'regression' | 'inconclusive' | 'improvement' | 'no change';

/** The verdict of a pair from its metrics' verdicts. */
export function pairVerdict(metrics: readonly MetricComparison[]): PairVerdict {
  if (metrics.some((m) => m.change === 'regressed')) return 'regression';
  if (metrics.some((m) => m.change === 'inconclusive')) return 'inconclusive';
  if (metrics.some((m) => m.change === 'improved')) return 'improvement';
  return 'no change';
}

/** Hardware identity used to refuse cross-machine comparisons. */
export function hardwareKey(r: Result): string {
  const h = r.environment.host;
  return `${h.cpuModel}, ${h.cores} cores, ${h.memoryBytes} B, ${h.arch}`;
}

export { runtimeLabel };

/** Reasons two results are not comparable; suite differences are listed first and can never be forced. */
export function differences(a: Result, b: Result): string[] {
  const out: string[] = [];
  if (a.suite !== b.suite) out.push(`different suites (${a.suite} vs ${b.suite})`);
  if (a.layer !== b.layer) out.push(`different layers (${a.layer} vs ${b.layer})`);
  const wa = a.workload;
  const wb = b.workload;
  // The same fixture built for two runtimes (wasm vs native) is the same workload; the same kind must be the same bytes.
  if (wa && wb && wa.name !== wb.name) out.push(`different fixtures (${wa.name} vs ${wb.name})`);
  else if (wa && wb && wa.kind === wb.kind && wa.sha256 !== wb.sha256) out.push(`fixture ${wa.name} differs (sha256 ${wa.sha256.slice(0, 12)} vs ${wb.sha256.slice(0, 12)})`);
  if (a.target.simulated !== b.target.simulated) out.push(`simulated vs real (${runtimeLabel(a)}${simulationMark(a) || ' [real]'} vs ${runtimeLabel(b)}${simulationMark(b) || ' [real]'})`);
  if (hardwareKey(a) !== hardwareKey(b)) out.push(`different hardware (${hardwareKey(a)} vs ${hardwareKey(b)})`);
  return out;
}

/**
 * Pairs base and candidate observations: one each → that pair; else by suite, layer, runtime and fixture (a
 * single base pairs with every candidate). With `acrossRuntimes` (two runtimes compared), the runtime is left out of the key.
 */
export function pairUp(bases: readonly Observation[], candidates: readonly Observation[], acrossRuntimes = false): { pairs: Array<[Observation, Observation]>; unpaired: Observation[] } {
  if (bases.length === 1) return { pairs: candidates.map((c) => [bases[0] as Observation, c]), unpaired: [] };
  const key = (o: Observation): string => `${o.result.suite}|${o.result.layer}|${acrossRuntimes ? simulationMark(o.result) : displayRuntime(o.result)}|${o.result.workload?.name ?? '-'}`;
  const byKey = new Map(bases.map((b) => [key(b), b]));
  const pairs: Array<[Observation, Observation]> = [];
  const unpaired: Observation[] = [];
  for (const c of candidates) {
    const b = byKey.get(key(c));
    if (b) pairs.push([b, c]);
    else unpaired.push(c);
  }
  return { pairs, unpaired };
}

/** Label "base → candidate" naming what differs. */
function pairLabel(a: Result, b: Result): string {
  const name = (r: Result): string => `${r.suite} ${r.layer}/${displayRuntime(r)}/${r.workload?.name ?? '-'}`;
  return name(a) === name(b) ? `${name(a)} (${a.runId} → ${b.runId})` : `${name(a)} → ${name(b)}`;
}

/** What a significant rise (`up`) or fall (`down`) of a metric means, given its declared direction. */
export function changeOf(better: Better, up: boolean, down: boolean): MetricComparison['change'] {
  if (!up && !down) return 'no change';
  if (better === 'neither') return 'changed';
  return up === (better === 'higher') ? 'improved' : 'regressed';
}

/** The verdict of a ratio's CI against the minimum effect t (before the load rule). */
export function verdictOf(better: Better, low: number, high: number, t: number): { change: Change; why?: string } {
  const up = low > 1 + t;
  const down = high < 1 / (1 + t);
  if (up || down) return { change: changeOf(better, up, down) };
  if (low >= 1 / (1 + t) && high <= 1 + t) return { change: 'no change' };
  const pct = `${+(t * 100).toFixed(2)}%`;
  return better === 'neither' ? { change: 'no change' } : { change: 'inconclusive', why: `the CI straddles the ±${pct} minimum effect` };
}

/** The word printed for a verdict. */
function wordOf(change: Change, unit: Unit, up: boolean): string {
  if (change === 'no change' || change === 'inconclusive') return change;
  if (change === 'changed') return up ? 'higher' : 'lower';
  const isTime = unit === 'ns';
  return change === 'improved' ? (isTime ? 'faster' : 'better') : isTime ? 'slower' : 'worse';
}

/** Compares one metric present in both observations; `level` is this metric's own CI level (after any family-wise split). */
export function compareMetric(base: Observation, cand: Observation, metric: string, opts: CompareOptions = {}): MetricComparison | null {
  const mb = base.result.metrics.find((m) => m.name === metric);
  const mc = cand.result.metrics.find((m) => m.name === metric);
  const vb = base.values[metric];
  const vc = cand.values[metric];
  if (!mb || !mc || !vb?.length || !vc?.length || mb.unit !== mc.unit || mb.better !== mc.better) return null;
  const stat = opts.statistic ?? 'p50';
  const t = opts.threshold ?? 0.05;
  // Rounds interleaved in one run are resampled paired.
  const pairRounds = base.result.runId === cand.result.runId && !!base.rounds && !!cand.rounds;
  const ratioOpts = { statistic: stat, pairRounds, seed: opts.seed ?? 1, resamples: opts.resamples ?? 2000, level: opts.level ?? 0.95 };
  const est = statisticRatio({ values: vc, rounds: cand.rounds?.[metric] }, { values: vb, rounds: base.rounds?.[metric] }, ratioOpts);
  const r = { ratio: est.ratio, ...est.ci };
  const better = mb.better;
  const { numerator: sc, denominator: sb } = est.statistics;
  let v: { change: Change; why?: string };
  if (sb === sc) v = { change: 'no change' };
  else if (!(sb > 0) || !Number.isFinite(r.low) || !Number.isFinite(r.high)) v = { change: better === 'neither' ? 'no change' : 'inconclusive', why: `no ratio: the base's ${stat} is ${sb}` };
  else v = verdictOf(better, r.low, r.high, t);
  return {
    metric, unit: mb.unit, better, base: sb, candidate: sc, ratio: sb === sc ? 1 : r.ratio,
    ci: sb === sc && !Number.isFinite(r.low) ? { low: 1, high: 1, level: r.level } : { low: r.low, high: r.high, level: r.level }, change: v.change, word: wordOf(v.change, mb.unit, r.ratio > 1), ...(v.why ? { why: v.why } : {}),
    baseN: vb.length, candidateN: vc.length, rounds: { base: est.rounds.denominator, candidate: est.rounds.numerator, paired: est.paired },
    source: base.source === cand.source ? base.source : `${base.source}/${cand.source}`,
  };
}

/** Turns a regression or improvement that the load difference would explain into inconclusive, naming it. */
export function applyLoadRule(m: MetricComparison, base: HostLoad | undefined, cand: HostLoad | undefined): MetricComparison {
  return withLoadRule(m, loadDifference(base, cand));
}

/** applyLoadRule for a load difference already worked out (one per pair). */
function withLoadRule(m: MetricComparison, d: LoadDifference): MetricComparison {
  if (m.change !== 'regressed' && m.change !== 'improved') return m;
  if (!d.heavier) return m;
  // Worse on the more loaded side, or better on the less loaded one: the load alone could explain it.
  const explained = (m.change === 'regressed') === (d.heavier === 'candidate');
  return explained ? { ...m, change: 'inconclusive', word: 'inconclusive', why: `${m.word} (${m.change === 'regressed' ? 'regression' : 'improvement'}) but ${d.text}: re-run both under the same load` } : m;
}

/** Compares a pair over its common metrics. */
export function comparePair(base: Observation, cand: Observation, opts: CompareOptions = {}): PairComparison {
  const diffs = differences(base.result, cand.result);
  const out: PairComparison = { label: pairLabel(base.result, cand.result), base, candidate: cand, differences: diffs, forced: diffs.length > 0 && !!opts.force, metrics: [] };
  for (const [o, side] of [[base, 'base'], [cand, 'candidate']] as const) {
    if (o.result.status !== 'ok') {
      out.skipped = `${side} ${displayRuntime(o.result)} ${o.result.status === 'not-measured' ? 'not measured' : 'invalid'}: ${o.result.reason ?? ''}`;
      return out;
    }
  }
  if (diffs.length && (!opts.force || diffs[0]?.startsWith('different suites'))) return out;
  const names = opts.metrics ?? base.result.metrics.map((m) => m.name).filter((n) => cand.result.metrics.some((m) => m.name === n));
  // Bonferroni over the pair's directed metrics: the pair's verdict keeps the family-wise level.
  const directed = names.filter((n) => {
    const m = base.result.metrics.find((x) => x.name === n);
    return m && m.better !== 'neither' && (base.values[n]?.length ?? 0) > 0;
  }).length;
  const level = 1 - (1 - (opts.level ?? 0.95)) / Math.max(1, directed);
  const load = loadDifference(base.result.hostLoad, cand.result.hostLoad);
  for (const n of names) {
    const c = compareMetric(base, cand, n, { ...opts, level });
    if (c) out.metrics.push(opts.ignoreLoad ? c : withLoadRule(c, load));
  }
  out.verdict = pairVerdict(out.metrics);
  out.load = load.text;
  return out;
}

/** Observations of one runtime (its label as printed, or its name), for comparing two runtimes within folders. */
export function ofRuntime(obs: readonly Observation[], runtime: string): Observation[] {
  return obs.filter((o) => runtimeLabel(o.result) === runtime || o.result.runtime === runtime);
}

/** Whether a pair comparison is refused (differences not forced). */
export function refused(p: PairComparison, force: boolean): boolean {
  return p.differences.length > 0 && (!force || (p.differences[0]?.startsWith('different suites') ?? false));
}
