/** Trend charts: a statistic over the runs in the history, change points marked. No I/O. */
import type { Trend } from '../../history/trend.js';
import type { AxisUnit } from './axis.js';
import { emptyChart } from './frame.js';
import { lineChart } from './line-chart.js';
import { colourOf, type Colours } from './palette.js';

/** The axis unit of a metric unit. */
function axisUnit(unit: string): AxisUnit {
  return unit === 'ns' ? 'ns' : unit === 'bytes' ? 'bytes' : 'count';
}

/** One chart per series (at most `max`): regressions first, then headline (wall) series, then those that moved the most. */
export function trendCharts(trends: readonly Trend[], colours: Colours, max = 8): string[] {
  if (trends.length === 0) return [emptyChart('Trend', 'no history given (publish --history DIR after `edgebench history append`)')];
  const spread = (t: Trend): number => {
    const v = t.points.map((p) => p.value);
    const lo = Math.min(...v);
    return lo > 0 ? Math.max(...v) / lo : 0;
  };
  const sorted = [...trends].sort((a, b) => b.regressions.length - a.regressions.length || Number(b.metric === 'wall') - Number(a.metric === 'wall') || spread(b) - spread(a)).slice(0, max);
  return sorted.map((t) =>
    lineChart([{ label: `${t.runtime} ${t.metric} ${t.statistic}`, runtime: t.runtime, colour: colourOf(colours, t.runtime), points: t.points.map((p, i): [number, number] => [i + 1, p.value]) }], {
      title: `Trend — ${t.key}`,
      xLabel: 'run (oldest → newest)',
      yLabel: `${t.metric} ${t.statistic}`,
      xUnit: 'count',
      yUnit: axisUnit(t.unit),
      markers: t.changePoints.map((c) => ({ x: c.index + 1, label: `${c.relativeChange > 0 ? '+' : ''}${(c.relativeChange * 100).toFixed(0)}%` })),
    }),
  );
}
