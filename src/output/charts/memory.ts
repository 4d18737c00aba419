/** Memory charts: per instance (each runtime's median of a byte metric, CI whiskers) and over time (per sample, memory series). No I/O. */
import type { Observation } from '../../result/observation.js';
import { formatBytes } from '../format.js';
import { barChart, type Bar } from './bar-chart.js';
import { emptyChart } from './frame.js';
import { fixtureKey, groupBy, rt } from './groups.js';
import { lineChart, type LineSeries } from './line-chart.js';
import { colourOf, dasher, type Colours } from './palette.js';
import { seriesPairs } from './series-pairs.js';

/** Per (suite, fixture, byte metric): one bar per runtime and layer, its median with the median's 95% CI. */
export function memoryPerInstanceCharts(observations: readonly Observation[], colours: Colours): string[] {
  const rows = observations.filter((o) => o.result.status === 'ok').flatMap((o) => o.result.metrics.filter((m) => m.unit === 'bytes').map((m) => ({ o, m })));
  const out: string[] = [];
  for (const [key, list] of groupBy(rows, (r) => `${fixtureKey(r.o)} · ${r.m.name}`)) {
    const bars = list.map(({ o, m }): Bar => ({
      label: `${rt(o)} · ${o.result.layer}`, runtime: rt(o), colour: colourOf(colours, rt(o)), value: m.summary.p50, low: m.ci.p50.low, high: m.ci.p50.high,
      tip: `${formatBytes(m.summary.p50)} [${formatBytes(m.ci.p50.low)}–${formatBytes(m.ci.p50.high)}], n=${m.summary.count}`,
    }));
    bars.sort((a, b) => a.value - b.value);
    out.push(barChart(bars, { title: `Memory per instance — ${key} p50 (95% CI)`, xLabel: 'memory per instance', unit: 'bytes' }));
  }
  return out.length ? out : [emptyChart('Memory per instance', 'no byte metric (peak RSS, cgroup, PSS) measured in these results')];
}

/** Per-sample byte metrics against time since the run began, and memory series (cgroup, PSS, RSS…) against time. */
export function memoryOverTimeCharts(observations: readonly Observation[], colours: Colours): string[] {
  const perSample: LineSeries[] = [];
  const series: LineSeries[] = [];
  const d1 = dasher();
  const d2 = dasher();
  for (const o of observations.filter((x) => x.result.status === 'ok')) {
    for (const m of o.result.metrics.filter((x) => x.unit === 'bytes')) {
      const pts = o.timeline?.[m.name];
      if (pts?.length) perSample.push({ label: `${rt(o)} · ${o.result.layer}/${o.result.workload?.name ?? '-'} ${m.name}`, runtime: rt(o), colour: colourOf(colours, rt(o)), dash: d1(rt(o)), points: pts.map(([t, v]): [number, number] => [t / 1e9, v]), dots: true });
    }
    for (const [name, rows] of Object.entries(o.result.series ?? {})) {
      for (const [field, points] of seriesPairs(rows, ['elapsedS', 'tS', 't', 'seconds'], (k) => /^(cgroupBytes|pssBytes|memoryBytes|rssBytes|workingSetBytes)$/.test(k))) {
        series.push({ label: `${rt(o)} · ${o.result.layer} ${o.result.suite} ${name}.${field}`, runtime: rt(o), colour: colourOf(colours, rt(o)), dash: d2(rt(o)), points });
      }
    }
  }
  const out: string[] = [];
  if (perSample.length) out.push(lineChart(perSample, { title: 'Memory per sample over the run', xLabel: 'seconds since the run started', yLabel: 'memory', xUnit: 'seconds', yUnit: 'bytes' }));
  if (series.length) out.push(lineChart(series, { title: 'Memory over time (series)', xLabel: 'seconds since the first start', yLabel: 'memory', xUnit: 'seconds', yUnit: 'bytes' }));
  return out.length ? out : [emptyChart('Memory over time', 'no memory timeline in these results (raw samples with a byte metric, or a memory series)')];
}
