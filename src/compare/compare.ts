/**
 * A/B comparison of results: per metric, the ratio candidate ÷ base of a statistic with a 95%
 * percentile-bootstrap CI, and a verdict against a relative threshold. No I/O.
 *
 * Verdict (lower-is-better metrics; mirrored for higher-is-better): the whole CI above 1 + t →
 * slower (a regression); the whole CI below 1 / (1 + t) → faster; otherwise no change (the
 * difference is within the threshold or not distinguishable from noise). The direction is the one the
 * metric declares (`better`), never guessed from its unit; a `neither` metric that moves is "changed".
 */
import { quantileRatioCi } from '../core/bootstrap.js';
import type { Unit } from '../core/histogram.js';
import type { Better } from '../core/metric.js';
import type { Observation } from '../result/observation.js';
import { displayRuntime, runtimeLabel, simulationMark } from '../result/label.js';
import type { Result } from '../result/types.js';

/** Statistics a comparison can be made on. */
export type CompareStatistic = 'p50' | 'p90' | 'p99';
const Q: Record<CompareStatistic, number> = { p50: 0.5, p90: 0.9, p99: 0.99 };

/** Options for a comparison. */
export interface CompareOptions {
  statistic?: CompareStatistic;
  /** Relative change that counts, e.g. 0.05 for 5%. */
  threshold?: number;
  /** Compare even when layer, fixture or hardware differ. */
  force?: boolean;
  /** Only these metrics (default: every metric both results carry). */
  metrics?: readonly string[];
  seed?: number;
  resamples?: number;
}

/** Outcome for one metric. */
export interface MetricComparison {
  metric: string;
  unit: Unit;
  better: Better;
  base: number;
  candidate: number;
  ratio: number;
  ci: { low: number; high: number; level: number };
  change: 'improved' | 'regressed' | 'changed' | 'no change';
  /** faster / slower / no change for durations; better / worse / no change otherwise; higher / lower for a `neither` metric. */
  word: string;
  baseN: number;
  candidateN: number;
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

/** Compares one metric present in both observations. */
export function compareMetric(base: Observation, cand: Observation, metric: string, opts: CompareOptions = {}): MetricComparison | null {
  const mb = base.result.metrics.find((m) => m.name === metric);
  const mc = cand.result.metrics.find((m) => m.name === metric);
  const vb = base.values[metric];
  const vc = cand.values[metric];
  if (!mb || !mc || !vb?.length || !vc?.length || mb.unit !== mc.unit || mb.better !== mc.better) return null;
  const stat = opts.statistic ?? 'p50';
  const t = opts.threshold ?? 0.05;
  const r = quantileRatioCi(vc, vb, Q[stat], { seed: opts.seed ?? 1, resamples: opts.resamples ?? 2000 });
  const better = mb.better;
  const up = r.ci.low > 1 + t;
  const down = r.ci.high < 1 / (1 + t);
  const change = changeOf(better, up, down);
  const isTime = mb.unit === 'ns';
  const word =
    change === 'no change' ? 'no change' : change === 'changed' ? (up ? 'higher' : 'lower') : change === 'improved' ? (isTime ? 'faster' : 'better') : isTime ? 'slower' : 'worse';
  const sortedQ = (v: number[]): number => {
    const s = [...v].sort((x, y) => x - y);
    return s[Math.max(1, Math.ceil(Q[stat] * s.length - 1e-9)) - 1] as number;
  };
  return {
    metric, unit: mb.unit, better, base: sortedQ(vb), candidate: sortedQ(vc), ratio: r.ratio,
    ci: { low: r.ci.low, high: r.ci.high, level: r.ci.level }, change, word, baseN: vb.length, candidateN: vc.length,
    source: base.source === cand.source ? base.source : `${base.source}/${cand.source}`,
  };
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
  for (const n of names) {
    const c = compareMetric(base, cand, n, opts);
    if (c) out.metrics.push(c);
  }
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
