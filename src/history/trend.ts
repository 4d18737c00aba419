/** Trends: per-metric series over the runs in the index, with a robust slope and change points. No I/O. */
import { detectChangePoints, theilSenSlope, type ChangePoint, type ChangePointOptions } from './changepoint.js';
import type { Better } from '../core/metric.js';
import { legacyBetter } from '../result/legacy.js';
import type { IndexEntry } from './store.js';

/** One metric's series across runs. */
export interface Series {
  key: string;
  suite: string;
  layer: string;
  runtime: string;
  workload: string | null;
  metric: string;
  unit: string;
  /** The metric's declared direction. */
  better: Better;
  statistic: 'p50' | 'p90' | 'p99' | 'max';
  points: Array<{ runId: string; startedAt: string; value: number }>;
}

/** A series with its trend and change points; regressions are the changes in the worse direction. */
export interface Trend extends Series {
  slopePerRun: number;
  changePoints: ChangePoint[];
  regressions: ChangePoint[];
}

/** Series for every (suite, layer, runtime, workload, metric) in the index, in run order. */
export function seriesOf(entries: readonly IndexEntry[], statistic: Series['statistic'] = 'p50'): Series[] {
  const map = new Map<string, Series>();
  for (const e of entries) {
    for (const r of e.results) {
      if (r.status !== 'ok') continue;
      for (const [metric, s] of Object.entries(r.metrics)) {
        const key = `${r.suite} ${r.layer}/${r.runtime}/${r.workload ?? '-'} ${metric}`;
        let series = map.get(key);
        if (!series) {
          series = { key, suite: r.suite, layer: r.layer, runtime: r.runtime, workload: r.workload, metric, unit: s.unit, better: s.better ?? legacyBetter(metric), statistic, points: [] };
          map.set(key, series);
        }
        series.points.push({ runId: e.runId, startedAt: e.startedAt, value: s[statistic] });
      }
    }
  }
  return [...map.values()];
}

/** Whether a change point is a regression, by the metric's declared direction (a `neither` metric has none). */
export function isRegression(better: Better, relativeChange: number): boolean {
  return better === 'lower' ? relativeChange > 0 : better === 'higher' ? relativeChange < 0 : false;
}

/** Trend of a series: Theil–Sen slope, change points, and which of them are regressions. */
export function trendOf(s: Series, opts: ChangePointOptions = {}): Trend {
  const values = s.points.map((p) => p.value);
  const cps = detectChangePoints(values, opts);
  return { ...s, slopePerRun: theilSenSlope(values), changePoints: cps, regressions: cps.filter((c) => isRegression(s.better, c.relativeChange)) };
}
