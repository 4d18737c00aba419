/** Ratio to native per fixture: each runtime's median headline duration ÷ native's, with a 95% bootstrap CI as whiskers. No I/O. */
import { statisticRatio } from '../../compare/ratio.js';
import type { Observation } from '../../result/observation.js';
import { barChart, type Bar } from './bar-chart.js';
import { isNative } from './colours.js';
import { emptyChart } from './frame.js';
import { fixtureKey, groupBy, headlineDuration, rt } from './groups.js';
import { colourOf, type Colours } from './palette.js';

/** "1.23×" with three significant digits. */
const times = (v: number): string => `${Number(v.toPrecision(3))}×`;

/** One chart per fixture that has a native result (at the process layer when there are several) and another runtime. */
export function ratioCharts(observations: readonly Observation[], colours: Colours): string[] {
  const ok = observations.filter((o) => o.result.status === 'ok');
  const groups = groupBy(ok, (o) => {
    const m = headlineDuration(o);
    return m && o.values[m.name]?.length ? `${fixtureKey(o)} · ${m.name}` : null;
  });
  const out: string[] = [];
  for (const [key, list] of groups) {
    const natives = list.filter((o) => isNative(rt(o)));
    const native = natives.find((o) => o.result.layer === 'process') ?? natives[0];
    const metric = native ? headlineDuration(native)?.name : undefined;
    const base = native && metric ? native.values[metric] : undefined;
    if (!native || !metric || !base?.length) continue;
    const bars: Bar[] = [];
    for (const o of list) {
      const v = o === native ? undefined : o.values[metric];
      if (!v?.length) continue;
      // A sample-level bootstrap (not rounds): the figures the chart has always drawn.
      const r = statisticRatio({ values: v }, { values: base }, { mode: 'samples', seed: 1, resamples: 1000 });
      bars.push({ label: `${rt(o)} · ${o.result.layer}`, runtime: rt(o), colour: colourOf(colours, rt(o)), value: r.ratio, low: r.ci.low, high: r.ci.high, tip: `${times(r.ratio)} [${times(r.ci.low)}–${times(r.ci.high)}] of native's median` });
    }
    if (bars.length === 0) continue;
    bars.sort((a, b) => a.value - b.value);
    out.push(barChart(bars, { title: `Ratio to native — ${key} p50 (95% CI)`, xLabel: `median ÷ ${rt(native)} ${native.result.layer} median (log scale; 1× = native)`, unit: 'ratio', log: true }));
  }
  return out.length ? out : [emptyChart('Ratio to native', 'no fixture measured both natively and with another runtime in these results')];
}
