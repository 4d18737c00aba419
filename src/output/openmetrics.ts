/**
 * OpenMetrics text exposition. Per suite and metric one summary family in base units (seconds, bytes): quantiles
 * 0.5/0.9/0.99/1 (1 = the maximum), _count and _sum, one series per result labelled by layer, runtime, workload,
 * run id and whether it was simulated, so results of many runs stay apart; claims as a stateset labelled by the runs
 * that fed each verdict. With `timestamps`, every sample carries its result's end time (a backfill, e.g.
 * `promtool tsdb create-blocks-from openmetrics`). A series that would appear twice is an error, never output. No I/O.
 */
import type { ClaimVerdict } from '../claims/types.js';
import type { Observation } from '../result/observation.js';
import { runtimeLabel } from '../result/label.js';
import type { Renderer } from './renderer.js';

/** Escapes a label value. */
function lv(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escapes HELP text. */
function helpText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Metric-name-safe token. */
function tok(s: string): string {
  return s.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** Base unit (OpenMetrics UNIT, also the name's suffix; null for counts, which have none) and divisor for a stored unit. */
function base(unit: string): { unit: string | null; div: number } {
  if (unit === 'ns') return { unit: 'seconds', div: 1e9 };
  if (unit === 'bytes') return { unit: 'bytes', div: 1 };
  if (unit === 'millicores') return { unit: 'cores', div: 1000 };
  if (unit === 'percent') return { unit: 'ratio', div: 100 };
  if (unit === 'count' || unit === 'requests') return { unit: null, div: 1 };
  return { unit: tok(unit), div: 1 };
}

/** A number as OpenMetrics writes it. */
function num(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);
}

/** Options of the exposition. */
export interface OpenMetricsOptions {
  /** Give every sample its result's end time (seconds since the epoch), for backfilling a history into Prometheus. */
  timestamps?: boolean;
}

/** Renders results (and optionally claim verdicts) as OpenMetrics text, ending with # EOF. */
export function openMetrics(observations: readonly Observation[], verdicts: readonly ClaimVerdict[] = [], opts: OpenMetricsOptions = {}): string {
  const families = new Map<string, { helps: Set<string>; suite: string; metric: string; unit: string | null; lines: string[] }>();
  const series = new Set<string>();
  const endOf = new Map<string, number>();
  const emit = (lines: string[], name: string, labels: string, value: number, ts: number | null): void => {
    const key = `${name}{${labels}}`;
    if (series.has(key)) throw new Error(`openmetrics: series ${key} would appear twice`);
    series.add(key);
    lines.push(`${key} ${num(value)}${ts !== null ? ` ${ts}` : ''}`);
  };
  for (const o of observations) {
    const r = o.result;
    const end = Date.parse(r.endedAt) / 1000;
    if (Number.isFinite(end)) endOf.set(r.runId, Math.max(endOf.get(r.runId) ?? 0, end));
    if (r.status !== 'ok') continue;
    const ts = opts.timestamps && Number.isFinite(end) ? end : null;
    for (const m of r.metrics) {
      const b = base(m.unit);
      const name = `edgebench_${tok(r.suite)}_${tok(m.name)}${b.unit ? `_${b.unit}` : ''}`;
      const fam = families.get(name) ?? { helps: new Set<string>(), suite: r.suite, metric: m.name, unit: b.unit, lines: [] };
      fam.helps.add(m.description);
      const simulated = r.target.simulated === null ? 'unknown' : String(r.target.simulated);
      const labels = `layer="${lv(r.layer)}",runtime="${lv(runtimeLabel(r))}",workload="${lv(r.workload?.name ?? '')}",run_id="${lv(r.runId)}",simulated="${simulated}"`;
      for (const [q, v] of [['0.5', m.summary.p50], ['0.9', m.summary.p90], ['0.99', m.summary.p99], ['1', m.summary.max]] as const) {
        emit(fam.lines, name, `${labels},quantile="${q}"`, v / b.div, ts);
      }
      emit(fam.lines, `${name}_count`, labels, m.summary.count, ts);
      emit(fam.lines, `${name}_sum`, labels, (m.summary.mean * m.summary.count) / b.div, ts);
      families.set(name, fam);
    }
  }
  const out: string[] = [];
  for (const [name, f] of families) {
    // One HELP per family: the metric's description when every result gives the same one.
    const help = f.helps.size === 1 ? `${[...f.helps][0]} (${f.suite})` : `${f.metric} of the ${f.suite} suite (described per layer in the results)`;
    out.push(`# TYPE ${name} summary`, ...(f.unit ? [`# UNIT ${name} ${f.unit}`] : []), `# HELP ${name} ${helpText(help)}`, ...f.lines);
  }
  if (verdicts.length) {
    const latest = Math.max(0, ...endOf.values());
    out.push('# TYPE edgebench_claim stateset', '# HELP edgebench_claim Claim verdict per layer, subject and the runs that fed it (1 marks the verdict).');
    const lines: string[] = [];
    const seen = new Map<string, string>();
    for (const v of verdicts) {
      const runs = [...new Set(v.runIds)].sort();
      const labels = `claim="${lv(v.claimId)}",layer="${lv(v.layer)}",subject="${lv(v.subject)}",run_id="${lv(runs.join(','))}"`;
      const before = seen.get(labels);
      if (before === v.verdict) continue; // the same claim judged on the same runs twice: one verdict
      if (before !== undefined) throw new Error(`openmetrics: claim ${v.claimId} at ${v.layer} for ${v.subject} on runs ${runs.join(',')} is both ${before} and ${v.verdict}`);
      seen.set(labels, v.verdict);
      const end = runs.length ? Math.max(...runs.map((id) => endOf.get(id) ?? 0)) : latest;
      const ts = opts.timestamps && end > 0 ? end : null;
      for (const s of ['confirmed', 'refuted', 'inconclusive', 'not-measured']) emit(lines, 'edgebench_claim', `${labels},edgebench_claim="${s}"`, v.verdict === s ? 1 : 0, ts);
    }
    out.push(...lines);
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}

/** `openmetrics`: the observations and claim verdicts as OpenMetrics text. */
export const openMetricsRenderer: Renderer = {
  format: 'openmetrics',
  render: (input) => openMetrics(input.observations, input.verdicts ?? [], { timestamps: !!input.options?.timestamps }),
};
