/** Tabulates results: one row per result, its headline metric's distribution, or why it was not measured. */
import type { MetricResult } from '../core/analyze.js';
import type { Result } from '../result/types.js';
import { formatValue } from './format.js';
import { displayRuntime } from '../result/label.js';

/** Column names of the results table. */
export const RESULT_COLUMNS = ['suite', 'layer', 'runtime', 'workload', 'metric', 'n', 'p50 [95% CI]', 'p90', 'p99', 'max', 'failed', 'clock', 'status'];

/** The metric a result is headlined by (wall for cold starts; the first otherwise). */
export function headlineMetric(r: Result): MetricResult | undefined {
  return r.metrics.find((m) => m.name === 'wall') ?? r.metrics[0];
}

/** One row per metric of each result (headline only unless `allMetrics`). */
export function resultRows(results: readonly Result[], allMetrics = false): string[][] {
  const rows: string[][] = [];
  for (const r of results) {
    const base = [r.suite, r.layer, displayRuntime(r), r.workload?.name ?? '-'];
    const failed = r.counts ? `${r.counts.failed}/${r.counts.measured}` : '-';
    if (r.status !== 'ok') {
      rows.push([...base, '-', '-', '-', '-', '-', '-', failed, '-', `${r.status}: ${r.reason ?? ''}`]);
      continue;
    }
    const metrics = allMetrics ? r.metrics : [headlineMetric(r)].filter((m): m is MetricResult => !!m);
    for (const m of metrics) {
      const f = (v: number): string => formatValue(v, m.unit);
      rows.push([
        ...base,
        m.name,
        String(m.summary.count),
        `${f(m.summary.p50)} [${f(m.ci.p50.low)}–${f(m.ci.p50.high)}]`,
        f(m.summary.p90),
        f(m.summary.p99),
        f(m.summary.max),
        failed,
        m.clock.source,
        'ok',
      ]);
    }
  }
  return rows;
}
