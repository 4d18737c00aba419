/** Tabulates results: one row per result, its headline metric's distribution, or why it was not measured. */
import type { MetricResult } from '../core/analyze.js';
import { storedStatistic } from '../core/stored-statistic.js';
import type { Result } from '../result/types.js';
import { inScale, scaleFor } from './compact.js';
import { withLayout } from './text-table.js';
import { displayRuntime } from '../result/label.js';

/** Column names of the results table (statistics in the row's unit). */
export const RESULT_COLUMNS = withLayout(['suite', 'layer', 'runtime', 'workload', 'metric', 'unit', 'n', 'min', 'mean ± σ', 'p50 [95% CI]', 'p95', 'p99', 'max', 'failed', 'clock', 'status'], {
  suite: { hoist: true, drop: 7 },
  layer: { hoist: true, drop: 6 },
  workload: { hoist: true, cut: { min: 8 } },
  metric: { hoist: true, drop: 8 },
  unit: { hoist: true },
  n: { hoist: true, drop: 9 },
  min: { drop: 3 },
  p95: { drop: 4 },
  p99: { drop: 2 },
  max: { drop: 5 },
  failed: { hoist: true },
  clock: { hoist: true, drop: 1 },
  status: { hoist: true, footnote: { minLength: 16, when: 'always' } },
});

/** The metric a result is headlined by (wall for cold starts; the first otherwise). */
export function headlineMetric(r: Result): MetricResult | undefined {
  return r.metrics.find((m) => m.name === 'wall') ?? r.metrics[0];
}

/** The statistics cells of one metric (unit, n, min, mean ± σ, p50 [CI], p95, p99, max), in a unit fitting its median or mean. */
function statisticCells(m: MetricResult): string[] {
  const s = scaleFor(Math.max(Math.abs(m.summary.p50), Math.abs(m.summary.mean)), m.unit);
  const f = (v: number): string => inScale(v, s);
  const st = (name: 'p95'): string => f(storedStatistic(m, name));
  return [
    s.name,
    String(m.summary.count),
    f(m.summary.min),
    `${f(m.summary.mean)} ± ${f(m.summary.stddev)}`,
    `${f(m.summary.p50)} [${f(m.ci.p50.low)}–${f(m.ci.p50.high)}]`,
    st('p95'),
    f(m.summary.p99),
    f(m.summary.max),
  ];
}

/** One row per metric of each result (headline only unless `allMetrics`). */
export function resultRows(results: readonly Result[], allMetrics = false): string[][] {
  const rows: string[][] = [];
  for (const r of results) {
    const base = [r.suite, r.layer, displayRuntime(r), r.workload?.name ?? '-'];
    const failed = r.counts ? `${r.counts.failed}/${r.counts.measured}` : '-';
    if (r.status !== 'ok') {
      rows.push([...base, ...Array<string>(9).fill('-'), failed, '-', `${r.status}: ${r.reason ?? ''}`]);
      continue;
    }
    const metrics = allMetrics ? r.metrics : [headlineMetric(r)].filter((m): m is MetricResult => !!m);
    for (const m of metrics) rows.push([...base, m.name, ...statisticCells(m), failed, m.clock.source, 'ok']);
  }
  return rows;
}
