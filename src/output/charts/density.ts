/** Density curves: memory of all instances, memory per instance, and start latency, against the instances running. No I/O. */
import type { Observation } from '../../result/observation.js';
import { emptyChart } from './frame.js';
import { rt } from './groups.js';
import { lineChart, type LineSeries } from './line-chart.js';
import { colourOf, dasher, type Colours } from './palette.js';
import { seriesPairs } from './series-pairs.js';

/** The three density charts, or one placeholder saying why there are none. */
export function densityCharts(observations: readonly Observation[], colours: Colours): string[] {
  const total: LineSeries[] = [];
  const per: LineSeries[] = [];
  const latency: LineSeries[] = [];
  const dash = { total: dasher(), per: dasher(), latency: dasher() };
  for (const o of observations.filter((x) => x.result.suite === 'density' && x.result.series)) {
    const pairs = seriesPairs(o.result.series?.['steps'] ?? [], ['instances'], () => true);
    const add = (list: LineSeries[], d: (r: string) => string, field: string, what: string): void => {
      const points = pairs.get(field);
      if (points?.length) list.push({ label: `${rt(o)} · ${o.result.layer} ${what}`, runtime: rt(o), colour: colourOf(colours, rt(o)), dash: d(rt(o)), points });
    };
    add(total, dash.total, 'cgroupBytes', 'cgroup');
    add(total, dash.total, 'pssBytes', 'PSS');
    add(per, dash.per, 'perInstance.cgroupBytes', 'cgroup');
    add(per, dash.per, 'perInstance.pssBytes', 'PSS (+shim)');
    add(latency, dash.latency, 'startP50Ns', 'p50');
    add(latency, dash.latency, 'startP90Ns', 'p90');
  }
  if (total.length + per.length + latency.length === 0) return [emptyChart('Density curve', 'no density results with a per-step series in this report (the density suite was not run)')];
  return [
    lineChart(per, { title: 'Density — memory per instance', xLabel: 'instances running', yLabel: 'memory per instance', xUnit: 'count', yUnit: 'bytes' }),
    lineChart(total, { title: 'Density — memory of all instances', xLabel: 'instances running', yLabel: 'memory', xUnit: 'count', yUnit: 'bytes' }),
    lineChart(latency, { title: 'Density — start latency per step', xLabel: 'instances running', yLabel: 'start latency', xUnit: 'count', yUnit: 'ns' }),
  ];
}
