/**
 * The verdict engine: claims × observations → confirmed / refuted / inconclusive / not measured, per layer
 * and subject. No I/O: observations arrive with their values already loaded.
 *
 * Rules. The statistic's 95% percentile-bootstrap CI (seeded) is compared with the threshold:
 * the whole CI on the claimed side → confirmed; the whole CI on the other side → refuted; the CI
 * straddling the threshold → inconclusive. min/max are observed extremes and have no CI: the point
 * decides. Ratio claims use the bootstrap CI of the ratio of the two statistics.
 */
import { quantileCi, quantileRatioCi } from '../core/bootstrap.js';
import type { Unit } from '../core/histogram.js';
import type { Observation } from '../result/observation.js';
import { LAYERS, type Layer } from '../result/types.js';
import { conversionFactor, formatIn } from './units.js';
import type { Claim, ClaimVerdict, Comparator, MetricRef, Selector, Statistic, VerdictKind } from './types.js';
import { displayRuntime, simulatedReason } from '../result/label.js';

/** Engine options. */
export interface JudgeOptions {
  seed?: number;
  resamples?: number;
}

const QUANTILE: Record<Exclude<Statistic, 'min' | 'max'>, number> = { p50: 0.5, p90: 0.9, p99: 0.99, p999: 0.999 };

/** Whether `v` satisfies `cmp threshold`. */
export function satisfies(v: number, cmp: Comparator, t: number): boolean {
  switch (cmp) {
    case '<':
      return v < t;
    case '<=':
      return v <= t;
    case '>':
      return v > t;
    case '>=':
      return v >= t;
  }
}

/** Verdict from an interval (a point when low = high) against the requirement. */
export function verdictOf(low: number, high: number, cmp: Comparator, t: number): Exclude<VerdictKind, 'not-measured'> {
  const okLow = satisfies(low, cmp, t);
  const okHigh = satisfies(high, cmp, t);
  if (okLow && okHigh) return 'confirmed';
  if (!okLow && !okHigh) return 'refuted';
  return 'inconclusive';
}

/** Glob match with `*` only. */
function globMatch(pattern: string, s: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(s);
}

/** Whether an observation is selected (not-measured results carry no workload: they match on runtime alone). */
export function selects(sel: Selector | undefined, o: Observation): boolean {
  const r = o.result;
  if (sel?.runtimes && !sel.runtimes.some((p) => globMatch(p, r.runtime))) return false;
  if (sel?.fixtures && r.workload && !sel.fixtures.includes(r.workload.name)) return false;
  if (sel?.kinds && r.workload && !sel.kinds.includes(r.workload.kind)) return false;
  return true;
}

/** The metric a claim reads at a layer. */
export function metricAt(claim: Claim, layer: Layer): MetricRef {
  return { ...claim.metric, ...(claim.atLayer?.[layer] ?? {}) };
}

/** Label for a result: runtime (and runtime label from a plan) / fixture. */
export function subjectOf(o: Observation): string {
  return `${displayRuntime(o.result)}/${o.result.workload?.name ?? '-'}`;
}

/** Point estimate and CI of a statistic over values. */
function estimate(values: readonly number[], stat: Statistic, opts: JudgeOptions): { point: number; low: number; high: number; hasCi: boolean } {
  const sorted = [...values].sort((a, b) => a - b);
  if (stat === 'min') return { point: sorted[0] as number, low: sorted[0] as number, high: sorted[0] as number, hasCi: false };
  if (stat === 'max') {
    const m = sorted[sorted.length - 1] as number;
    return { point: m, low: m, high: m, hasCi: false };
  }
  const q = QUANTILE[stat];
  const ci = quantileCi(values, q, { seed: opts.seed ?? 1, resamples: opts.resamples ?? 2000 });
  const rank = Math.max(1, Math.ceil(q * sorted.length - 1e-9));
  return { point: sorted[rank - 1] as number, low: ci.low, high: ci.high, hasCi: true };
}

/** Numbers found at a dotted path in a result's series ("steps.instances": each step's instances). */
export function seriesValues(o: Observation, path: string): number[] {
  const [name, ...fields] = path.split('.');
  const rows = o.result.series?.[name ?? ''] ?? [];
  const out: number[] = [];
  for (const row of rows) {
    let v: unknown = row;
    for (const f of fields) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[f] : undefined;
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** The values and unit a metric reference reads from an observation. */
function valuesOf(o: Observation, m: MetricRef): { values: number[]; unit: string | undefined; fromSeries: boolean } {
  if (m.series) return { values: seriesValues(o, m.series.path), unit: m.series.unit, fromSeries: true };
  return { values: o.values[m.name] ?? [], unit: o.result.metrics.find((x) => x.name === m.name)?.unit, fromSeries: false };
}

/** Why an observation cannot feed a metric, or null when it can. */
function unusable(o: Observation, m: MetricRef): string | null {
  const r = o.result;
  if (r.status === 'not-measured') return `runtime ${r.runtime} not measured: ${r.reason ?? 'no reason recorded'}`;
  if (r.status === 'invalid') return `result invalid: ${r.reason ?? 'too many failures'}`;
  // Every claim speaks of a real node and runtime: a simulated figure is never a verdict on one.
  const sim = simulatedReason(r);
  if (sim) return `not a real-node result: ${sim}`;
  if (m.series) return seriesValues(o, m.series.path).length ? null : `${r.suite} result has no series values at "${m.series.path}"`;
  if (!r.metrics.some((x) => x.name === m.name)) {
    // A suite that could not take some metrics says why in a note "<metric>[, <metric>…] not measured: <why>".
    const why = r.notes?.find((n) => n.includes(' not measured: ') && n.slice(0, n.indexOf(' not measured: ')).split(', ').includes(m.name));
    return why ? `${r.suite} result: ${why}` : `${r.suite} result has no metric "${m.name}"`;
  }
  if (!o.values[m.name]?.length) return `no values of "${m.name}"`;
  return null;
}

/** Judges one claim against observations; one verdict per layer and subject (at least one per layer). */
export function judgeClaim(claim: Claim, observations: readonly Observation[], opts: JudgeOptions = {}): ClaimVerdict[] {
  const out: ClaimVerdict[] = [];
  const requirement = `${claim.ratio ? claim.metric.statistic + ' ratio ' : ''}${claim.comparator} ${formatIn(claim.threshold.value, claim.threshold.unit)}`;
  const base = { claimId: claim.id, text: claim.text, requirement };
  for (const layer of LAYERS.filter((l) => claim.layers.includes(l))) {
    const m = metricAt(claim, layer);
    const atLayer = observations.filter((o) => o.result.layer === layer && (!m.suite || o.result.suite === m.suite));
    const what = m.suite ? `${m.suite} result` : `result with metric ${m.name}`;
    if (atLayer.length === 0) {
      out.push({ ...base, layer, subject: '-', verdict: 'not-measured', why: `no ${what} at layer ${layer}`, runIds: [] });
      continue;
    }
    if (claim.ratio) {
      out.push(...judgeRatio(claim, m, layer, atLayer, base, opts));
      continue;
    }
    const fed = atLayer.filter((o) => selects(claim.feeds, o));
    if (fed.length === 0) {
      const rts = claim.feeds?.runtimes?.join(', ') ?? 'any';
      out.push({ ...base, layer, subject: '-', verdict: 'not-measured', why: `no ${what} at layer ${layer} for runtimes ${rts}${claim.feeds?.fixtures ? ` and fixtures ${claim.feeds.fixtures.join(', ')}` : ''}`, runIds: [] });
      continue;
    }
    const seenNotMeasured = new Set<string>();
    for (const o of fed) {
      const bad = unusable(o, m);
      const subject = subjectOf(o);
      if (bad) {
        // A runtime that is absent is absent for every fixture: say so once.
        const key = `${o.result.runtime}|${bad}`;
        if (o.result.status === 'not-measured' && seenNotMeasured.has(key)) continue;
        seenNotMeasured.add(key);
        out.push({ ...base, layer, subject: o.result.status === 'not-measured' ? o.result.runtime : subject, verdict: 'not-measured', why: bad, runIds: [o.result.runId] });
        continue;
      }
      const { values, unit, fromSeries } = valuesOf(o, m);
      const factor = unit ? conversionFactor(claim.threshold.unit, unit as Unit) : null;
      if (factor === null) {
        out.push({ ...base, layer, subject, verdict: 'not-measured', why: `metric ${m.name} is in ${unit ?? '?'}, the threshold in ${claim.threshold.unit}`, runIds: [o.result.runId] });
        continue;
      }
      const e = fromSeries ? { ...estimate(values, m.statistic === 'min' ? 'min' : 'max', opts), hasCi: false } : estimate(values, m.statistic, opts);
      if (fromSeries && m.statistic !== 'min' && m.statistic !== 'max') {
        const q = estimate(values, m.statistic, opts);
        [e.point, e.low, e.high] = [q.point, q.point, q.point];
      }
      const [pt, lo, hi] = [e.point / factor, e.low / factor, e.high / factor];
      const verdict = verdictOf(lo, hi, claim.comparator, claim.threshold.value);
      const noCi = fromSeries ? 'from the series, no CI' : 'observed extreme, no CI';
      const shown = e.hasCi ? `${m.statistic} ${formatIn(pt, claim.threshold.unit)} [95% CI ${formatIn(lo, claim.threshold.unit)}–${formatIn(hi, claim.threshold.unit)}]` : `${m.statistic} ${formatIn(pt, claim.threshold.unit)} (${noCi})`;
      const why = verdict === 'inconclusive' ? `${shown} straddles ${claim.comparator} ${formatIn(claim.threshold.value, claim.threshold.unit)}` : `${shown} ${verdict === 'confirmed' ? 'meets' : 'fails'} ${claim.comparator} ${formatIn(claim.threshold.value, claim.threshold.unit)}`;
      out.push({
        ...base, layer, subject, verdict, estimate: pt,
        ...(e.hasCi ? { ci: { low: lo, high: hi, level: 0.95 } } : {}),
        why: `${why} (${m.name}, n=${values.length}, ${fromSeries ? `series ${m.series?.path ?? ''}` : `values from ${o.source}`})`,
        runIds: [o.result.runId],
      });
    }
  }
  return out;
}

/** Ratio claims: every numerator × denominator pair at the layer with the same fixture. */
function judgeRatio(claim: Claim, m: MetricRef, layer: Layer, atLayer: Observation[], base: Pick<ClaimVerdict, 'claimId' | 'text' | 'requirement'>, opts: JudgeOptions): ClaimVerdict[] {
  const ratio = claim.ratio;
  if (!ratio) return [];
  const nums = atLayer.filter((o) => selects(ratio.numerator, o));
  const dens = atLayer.filter((o) => selects(ratio.denominator, o));
  const out: ClaimVerdict[] = [];
  const side = (list: Observation[], sel: Selector, name: string): string | null => {
    if (list.length === 0) return `no ${name} result at layer ${layer} (runtimes ${sel.runtimes?.join(', ') ?? 'any'})`;
    const usable = list.filter((o) => !unusable(o, m));
    if (usable.length === 0) return [...new Set(list.map((o) => unusable(o, m)))].join('; ');
    return null;
  };
  const whyNum = side(nums, ratio.numerator, 'numerator');
  const whyDen = side(dens, ratio.denominator, 'denominator');
  if (whyNum || whyDen) {
    out.push({ ...base, layer, subject: '-', verdict: 'not-measured', why: [whyNum, whyDen].filter(Boolean).join('; '), runIds: [...nums, ...dens].map((o) => o.result.runId) });
    return out;
  }
  const q = m.statistic === 'min' || m.statistic === 'max' ? null : QUANTILE[m.statistic];
  for (const n of nums.filter((o) => !unusable(o, m))) {
    for (const d of dens.filter((o) => !unusable(o, m))) {
      if (n === d || n.result.workload?.name !== d.result.workload?.name) continue;
      const subject = `${subjectOf(n)} ÷ ${subjectOf(d)}`;
      const nv = n.values[m.name] ?? [];
      const dv = d.values[m.name] ?? [];
      let pt: number;
      let lo: number;
      let hi: number;
      if (q === null) {
        const ext = (v: number[]): number => (m.statistic === 'max' ? Math.max(...v) : Math.min(...v));
        pt = lo = hi = ext(nv) / ext(dv);
      } else {
        const r = quantileRatioCi(nv, dv, q, { seed: opts.seed ?? 1, resamples: opts.resamples ?? 2000 });
        [pt, lo, hi] = [r.ratio, r.ci.low, r.ci.high];
      }
      const verdict = verdictOf(lo, hi, claim.comparator, claim.threshold.value);
      const shown = `${m.statistic} ${m.name} ratio ${formatIn(pt, 'x')}${q === null ? '' : ` [95% CI ${formatIn(lo, 'x')}–${formatIn(hi, 'x')}]`}`;
      const rel = verdict === 'inconclusive' ? 'straddles' : verdict === 'confirmed' ? 'meets' : 'fails';
      out.push({
        ...base, layer, subject, verdict, estimate: pt,
        ...(q === null ? {} : { ci: { low: lo, high: hi, level: 0.95 } }),
        why: `${shown} ${rel} ${claim.comparator} ${formatIn(claim.threshold.value, 'x')}`,
        runIds: [n.result.runId, d.result.runId],
      });
    }
  }
  if (out.length === 0) out.push({ ...base, layer, subject: '-', verdict: 'not-measured', why: `no numerator and denominator results share a fixture at layer ${layer}`, runIds: [] });
  return out;
}

/** Judges every claim. */
export function judgeClaims(claims: readonly Claim[], observations: readonly Observation[], opts: JudgeOptions = {}): ClaimVerdict[] {
  return claims.flatMap((c) => judgeClaim(c, observations, opts));
}

/** Counts of each verdict. */
export function tally(verdicts: readonly ClaimVerdict[]): Record<VerdictKind, number> {
  const t: Record<VerdictKind, number> = { confirmed: 0, refuted: 0, inconclusive: 0, 'not-measured': 0 };
  for (const v of verdicts) t[v.verdict]++;
  return t;
}
