/** Latency charts per fixture: the CDF and the log-binned histogram of the headline duration, one line per runtime and layer. No I/O. */
import type { Observation } from '../../result/observation.js';
import { cdfPoints, logHistogramPoints } from '../svg.js';
import { emptyChart } from './frame.js';
import { fixtureKey, groupBy, headlineDuration, rt } from './groups.js';
import { lineChart, type LineSeries } from './line-chart.js';
import { colourOf, dasher, type Colours } from './palette.js';

/** Measured observations with their headline duration values. */
function measured(observations: readonly Observation[]): Array<{ o: Observation; metric: string; values: number[] }> {
  return observations.flatMap((o) => {
    const m = o.result.status === 'ok' ? headlineDuration(o) : undefined;
    const values = m ? o.values[m.name] : undefined;
    return m && values?.length ? [{ o, metric: m.name, values }] : [];
  });
}

/** Per fixture (suite, fixture, metric): a CDF then a histogram. */
export function latencyCharts(observations: readonly Observation[], colours: Colours): string[] {
  const groups = groupBy(measured(observations), (x) => `${fixtureKey(x.o)} · ${x.metric}`);
  if (groups.size === 0) return [emptyChart('Latency', 'no measured durations in these results')];
  const out: string[] = [];
  for (const [key, list] of groups) {
    const dashCdf = dasher();
    const dashHist = dasher();
    const all = list.flatMap((l) => l.values).filter((v) => v > 0);
    const range: [number, number] = [Math.min(...all), Math.max(...all)];
    // About two bins per √n of the smallest series, 8 to 40: a 20-sample run gets no comb of empty bins.
    const bins = Math.max(8, Math.min(40, Math.round(2 * Math.sqrt(Math.min(...list.map((l) => l.values.length))))));
    const cdf = list.map((l): LineSeries => ({ label: `${rt(l.o)} · ${l.o.result.layer} (n=${l.values.length})`, runtime: rt(l.o), colour: colourOf(colours, rt(l.o)), dash: dashCdf(rt(l.o)), points: cdfPoints(l.values) }));
    const hist = list.map((l): LineSeries => ({ label: `${rt(l.o)} · ${l.o.result.layer}`, runtime: rt(l.o), colour: colourOf(colours, rt(l.o)), dash: dashHist(rt(l.o)), points: logHistogramPoints(l.values, bins, range) }));
    out.push(lineChart(cdf, { title: `Latency CDF — ${key}`, xLabel: 'latency (log scale)', yLabel: 'fraction ≤ x', xUnit: 'ns', xLog: true, yUnit: 'fraction' }));
    out.push(lineChart(hist, { title: `Latency histogram — ${key}`, xLabel: 'latency (log bins)', yLabel: 'share of samples', xUnit: 'ns', xLog: true, yUnit: 'share' }));
  }
  return out;
}
