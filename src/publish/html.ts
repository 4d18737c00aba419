/**
 * A single-file HTML report with inline SVG charts (latency CDF and histogram, density curve, memory
 * over time, trends). No scripts, no external resources: it views offline. No I/O.
 */
import type { ClaimVerdict } from '../claims/types.js';
import { tally } from '../claims/engine.js';
import type { Unit } from '../core/histogram.js';
import type { Observation } from '../result/observation.js';
import { formatBytes, formatValue } from '../report/format.js';
import { RESULT_COLUMNS, resultRows } from '../report/result-table.js';
import { claimRows, CLAIM_COLUMNS, tallyLine } from './claims-table.js';
import { COMPARE_COLUMNS, compareRows } from './compare-table.js';
import { xmlEscape as esc } from './junit.js';
import { PROFILE_COLUMNS, profileRows } from './profiles-table.js';
import type { ReportInput } from './report-input.js';
import { cdfPoints, emptyChart, lineChart, logHistogramPoints, type ChartSeries } from './svg.js';
import { displayRuntime } from '../result/label.js';

/** An HTML table; `cls(row)` may give a row a class. */
function table(header: string[], rows: string[][], cls?: (row: string[]) => string): string {
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr${cls ? ` class="${cls(r)}"` : ''}>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const msFmt = (ns: number): string => formatValue(ns, 'ns');

/** Runtime label of a result. */
function rt(o: Observation): string {
  return displayRuntime(o.result);
}

/** Latency charts: per (suite, layer, fixture), a CDF and a log histogram of the headline duration metric. */
export function latencyCharts(observations: readonly Observation[]): string[] {
  const groups = new Map<string, Array<{ name: string; values: number[] }>>();
  for (const o of observations) {
    if (o.result.status !== 'ok') continue;
    const m = o.result.metrics.find((x) => x.name === 'wall') ?? o.result.metrics.find((x) => x.unit === 'ns');
    const v = m ? o.values[m.name] : undefined;
    if (!m || !v?.length) continue;
    const key = `${o.result.suite} · ${o.result.layer} · ${o.result.workload?.name ?? '-'} · ${m.name}`;
    groups.set(key, [...(groups.get(key) ?? []), { name: rt(o), values: v }]);
  }
  if (groups.size === 0) return [emptyChart('Latency', 'no measured durations in these results')];
  const out: string[] = [];
  for (const [key, list] of groups) {
    out.push(lineChart(list.map((l): ChartSeries => ({ name: `${l.name} (n=${l.values.length})`, points: cdfPoints(l.values) })), { title: `Latency CDF — ${key}`, xLabel: 'latency (log scale)', yLabel: 'fraction ≤ x', xLog: true, formatX: msFmt, formatY: (y) => y.toFixed(1) }));
    const all = list.flatMap((l) => l.values).filter((v) => v > 0);
    const range: [number, number] = [Math.min(...all), Math.max(...all)];
    out.push(lineChart(list.map((l): ChartSeries => ({ name: l.name, points: logHistogramPoints(l.values, 40, range) })), { title: `Latency histogram — ${key}`, xLabel: 'latency (log bins)', yLabel: 'share of samples', xLog: true, formatX: msFmt, formatY: (y) => `${(y * 100).toFixed(0)}%` }));
  }
  return out;
}

/** Numeric [x, y] pairs from a result series of objects, x = the first of the named fields present. */
function seriesPairs(rows: unknown[], xFields: string[], yTest: (k: string) => boolean): Map<string, Array<[number, number]>> {
  const out = new Map<string, Array<[number, number]>>();
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    // One level of nesting is flattened: { perInstance: { pssBytes } } → "perInstance.pssBytes".
    const rec: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row as Record<string, unknown>)) {
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) rec[`${k}.${k2}`] = v2;
      else rec[k] = v;
    }
    const xf = xFields.find((f) => typeof rec[f] === 'number');
    if (!xf) continue;
    for (const [k, v] of Object.entries(rec)) {
      if (k === xf || typeof v !== 'number' || !yTest(k)) continue;
      out.set(k, [...(out.get(k) ?? []), [rec[xf] as number, v]]);
    }
  }
  return out;
}

/** Density curves: per-step memory (total and per instance) and start latency against the instance count. */
export function densityCharts(observations: readonly Observation[]): string[] {
  const total: ChartSeries[] = [];
  const per: ChartSeries[] = [];
  const latency: ChartSeries[] = [];
  for (const o of observations.filter((x) => x.result.suite === 'density' && x.result.series)) {
    const pairs = seriesPairs(o.result.series?.['steps'] ?? [], ['instances'], () => true);
    const add = (list: ChartSeries[], field: string, label: string): void => {
      const pts = pairs.get(field);
      if (pts?.length) list.push({ name: `${rt(o)} ${label}`, points: pts });
    };
    add(total, 'cgroupBytes', 'cgroup');
    add(total, 'pssBytes', 'PSS');
    add(per, 'perInstance.cgroupBytes', 'cgroup');
    add(per, 'perInstance.pssBytes', 'PSS (+shim)');
    add(latency, 'startP50Ns', 'p50');
    add(latency, 'startP90Ns', 'p90');
  }
  if (total.length + per.length + latency.length === 0) return [emptyChart('Density curve', 'no density results with a per-step series in this report (the density suite was not run)')];
  return [
    lineChart(total, { title: 'Density — memory of all instances', xLabel: 'instances running', yLabel: 'memory', formatY: (b) => formatBytes(b) }),
    lineChart(per, { title: 'Density — memory per instance', xLabel: 'instances running', yLabel: 'memory per instance', formatY: (b) => formatBytes(b) }),
    lineChart(latency, { title: 'Density — start latency per step', xLabel: 'instances running', yLabel: 'start latency', formatY: msFmt }),
  ];
}

/** Memory over time: per-sample byte metrics (e.g. peak RSS per start) and memory series, against time since the run began. */
export function memoryCharts(observations: readonly Observation[]): string[] {
  const perSample: ChartSeries[] = [];
  const series: ChartSeries[] = [];
  for (const o of observations) {
    if (o.result.status !== 'ok') continue;
    for (const m of o.result.metrics.filter((x) => x.unit === 'bytes')) {
      const pts = o.timeline?.[m.name];
      if (pts?.length) perSample.push({ name: `${rt(o)}/${o.result.workload?.name ?? '-'} ${m.name}`, points: pts.map(([t, v]) => [t / 1e9, v]), dots: true });
    }
    for (const [name, rows] of Object.entries(o.result.series ?? {})) {
      for (const [field, pts] of seriesPairs(rows, ['elapsedS', 'tS', 't', 'seconds'], (k) => /^(cgroupBytes|pssBytes|memoryBytes|rssBytes|workingSetBytes)$/.test(k))) {
        series.push({ name: `${rt(o)} ${o.result.suite} ${name}.${field}`, points: pts });
      }
    }
  }
  const out: string[] = [];
  if (perSample.length) out.push(lineChart(perSample, { title: 'Memory per sample over the run', xLabel: 'seconds since the run started', yLabel: 'bytes (log)', yLog: true, formatY: (b) => formatBytes(b), formatX: (x) => x.toFixed(1) }));
  if (series.length) out.push(lineChart(series, { title: 'Memory over time (series)', xLabel: 'seconds since the first start', yLabel: 'bytes', formatY: (b) => formatBytes(b), formatX: (x) => x.toFixed(1) }));
  return out.length ? out : [emptyChart('Memory over time', 'no memory timeline in these results (raw samples with a byte metric, or a memory series)')];
}

/** Trend charts: one per series (at most `max`), change points marked. */
export function trendCharts(input: ReportInput, max = 8): string[] {
  const trends = input.trends ?? [];
  if (trends.length === 0) return [emptyChart('Trend', 'no history given (publish --history DIR after `edgebench history append`)')];
  // Regressions first, then headline (wall) series, then the series that moved the most.
  const spread = (t: (typeof trends)[number]): number => {
    const v = t.points.map((p) => p.value);
    const lo = Math.min(...v);
    return lo > 0 ? Math.max(...v) / lo : 0;
  };
  const sorted = [...trends].sort((a, b) => b.regressions.length - a.regressions.length || Number(b.metric === 'wall') - Number(a.metric === 'wall') || spread(b) - spread(a)).slice(0, max);
  return sorted.map((t) =>
    lineChart([{ name: `${t.metric} ${t.statistic}`, points: t.points.map((p, i) => [i + 1, p.value]) }], {
      title: `Trend — ${t.key}`,
      xLabel: 'run (oldest → newest)',
      yLabel: `${t.metric} ${t.statistic}`,
      formatY: (v) => formatValue(v, t.unit as Unit),
      formatX: (x) => String(Math.round(x)),
      markers: t.changePoints.map((c) => ({ x: c.index + 1, label: `${c.relativeChange > 0 ? '+' : ''}${(c.relativeChange * 100).toFixed(0)}%` })),
    }),
  );
}

/** Row class for a claims row by its verdict column. */
function verdictClass(row: string[]): string {
  return `v-${(row[4] ?? '').replace(/[^a-z]/g, '')}`;
}

/** Renders the whole report. */
export function htmlReport(input: ReportInput): string {
  const results = input.observations.map((o) => o.result);
  const first = results[0];
  const env = first
    ? `${first.environment.host.cpuModel}, ${first.environment.host.cores} cores, ${formatBytes(first.environment.host.memoryBytes)}, ${first.environment.host.os}, kernel ${first.environment.host.kernel}, Node ${first.environment.host.nodeVersion}; edgebench ${first.harness.version} (${first.harness.gitCommit?.slice(0, 12) ?? 'no git'})`
    : 'no results';
  const verdicts: ClaimVerdict[] = input.verdicts ?? [];
  const sections: string[] = [];
  if (input.comparisons?.length) sections.push(`<h2>Comparison with the baseline${input.baseline ? ` (${esc(input.baseline)})` : ''}</h2>${table(COMPARE_COLUMNS, compareRows(input.comparisons, input.compareStatistic))}`);
  if (verdicts.length) sections.push(`<h2>Claims</h2><p>${esc(tallyLine(tally(verdicts)))}.</p>${table(CLAIM_COLUMNS, claimRows(verdicts), verdictClass)}`);
  sections.push(`<h2>Key metrics</h2>${table(RESULT_COLUMNS, resultRows(results))}`);
  sections.push(`<h2>Latency</h2><div class="charts">${latencyCharts(input.observations).join('')}</div>`);
  sections.push(`<h2>Density</h2><div class="charts">${densityCharts(input.observations).join('')}</div>`);
  sections.push(`<h2>Memory</h2><div class="charts">${memoryCharts(input.observations).join('')}</div>`);
  sections.push(`<h2>Trend</h2><div class="charts">${trendCharts(input).join('')}</div>`);
  if (input.profiles?.length) sections.push(`<h2>Scenario profiles</h2>${table(PROFILE_COLUMNS, profileRows(input.profiles))}`);
  const sources = [...new Set(input.observations.filter((o) => o.result.status === 'ok').map((o) => `${rt(o)}/${o.result.workload?.name ?? '-'}: values from ${o.source}${o.sourceNote ? ` (${o.sourceNote})` : ''}`))];
  sections.push(`<h2>Data</h2><ul>${sources.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)}</title>
<style>
body{font-family:sans-serif;margin:24px;color:#222;max-width:1400px}
table{border-collapse:collapse;font-size:12px;margin:8px 0 16px}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}
.charts{display:flex;flex-wrap:wrap;gap:12px}
.charts svg{border:1px solid #ddd}
tr.v-confirmed td:nth-child(5){background:#dff5df}
tr.v-refuted td:nth-child(5){background:#f8d7d7}
tr.v-inconclusive td:nth-child(5){background:#fff3c4}
tr.v-notmeasured td:nth-child(5){background:#eee}
</style></head><body>
<h1>${esc(input.title)}</h1>
<p>${esc(env)}.<br>Generated ${esc(input.generatedAt)}. ${results.length} result(s).</p>
${sections.join('\n')}
</body></html>
`;
}
