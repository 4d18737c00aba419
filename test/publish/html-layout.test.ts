/** The HTML report laid out by headless Chromium: charts first, nothing leaves its chart box, axes hold their data on round ticks, one colour per runtime. */
import { writeFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { htmlReport } from '../../src/output/html.js';
import { isOneTwoFive } from '../../src/output/charts/ticks.js';
import { describeWith } from '../helpers/system.js';
import { chromiumMissing, measureInChromium } from './chromium.js';
import { AOT_REASON, LONG_LABEL, realisticInput, WASMER_REASON } from './fixtures.js';
import { LAYOUT_SCRIPT, type ChartMeasure, type PageMeasure } from './layout-script.js';

let html: string;
let page: PageMeasure;

/** Tick values of an axis attribute. */
const ticksOf = (s: string | undefined): number[] => (s ? s.split(',').map(Number) : []);

/** Why an axis's ticks are not round or do not hold the data, or null. */
function axisProblem(c: ChartMeasure, axis: 'x' | 'y'): string | null {
  const ticks = ticksOf(c.axes[`${axis}Ticks`]);
  const [lo, hi] = ticksOf(c.axes[`${axis}Data`]);
  if (ticks.length === 0 || lo === undefined || hi === undefined) return null;
  const first = ticks[0] as number;
  const last = ticks[ticks.length - 1] as number;
  if (first > lo || last < hi) return `${axis} ticks ${first}..${last} do not hold the data ${lo}..${hi}`;
  if (ticks.length > 10) return `${axis}: ${ticks.length} ticks`;
  if (c.axes[`${axis}Log`] === 'true') return ticks.every(isOneTwoFive) ? null : `${axis} log ticks not 1-2-5: ${ticks.join(', ')}`;
  const step = (ticks[1] as number) - first;
  const multiples = ticks.every((t) => Math.abs(t / step - Math.round(t / step)) < 1e-6);
  const even = ticks.every((t, i) => i === 0 || Math.abs(t - (ticks[i - 1] as number) - step) < step * 1e-6);
  const roundStep = c.axes[`${axis}Unit`] === 'bytes' ? Number.isInteger(Math.log2(step)) : isOneTwoFive(step);
  return multiples && even && roundStep ? null : `${axis} ticks not round (${c.axes[`${axis}Unit`]}): ${ticks.join(', ')}`;
}

describeWith('HTML report laid out in headless Chromium', chromiumMissing, () => {
  beforeAll(() => {
    html = htmlReport(realisticInput());
    if (process.env['EB_REPORT_OUT']) writeFileSync(process.env['EB_REPORT_OUT'], html);
    page = measureInChromium<PageMeasure>(html, LAYOUT_SCRIPT);
  }, 120_000);

  it('leads with the key charts, then the verdicts, then the tables', () => {
    const top = (id: string): number => page.sections.find((s) => s.id === id)?.top ?? NaN;
    expect(top('charts')).toBeLessThan(top('verdicts'));
    expect(top('verdicts')).toBeLessThan(top('tables'));
    const titles = page.charts.map((c) => c.title);
    const at = (prefix: string): number => titles.findIndex((t) => t.startsWith(prefix));
    for (const p of ['Latency CDF — cold-start · noop · wall', 'Ratio to native — cold-start · noop · wall', 'Density — memory per instance', 'Memory per instance — cold-start · noop · peak_rss']) expect(at(p), p).toBeGreaterThanOrEqual(0);
    expect(at('Latency CDF')).toBeLessThan(at('Ratio to native'));
    expect(at('Ratio to native')).toBeLessThan(at('Density'));
    expect(at('Density')).toBeLessThan(at('Memory per instance'));
  });

  it('keeps every text, legend and mark inside its chart box, and every mark inside the plot', () => {
    expect(page.charts.length).toBeGreaterThanOrEqual(12);
    for (const c of page.charts) {
      expect(c.overflowing, c.title).toEqual([]);
      expect(c.outsidePlot, c.title).toEqual([]);
      expect(c.overlaps, c.title).toEqual([]);
    }
  });

  it('writes legends whole (long runtime labels included)', () => {
    // Lines of a wrapped label are compared without the spaces (a word longer than a line is split without one).
    const legends = page.charts.flatMap((c) => c.legend).map((l) => l.replace(/ /g, ''));
    const whole = (l: string): string => l.replace(/ /g, '');
    expect(legends).toContain(whole('node-wasi-inproc · embedded (n=200)'));
    expect(legends).toContain(whole('wasmedge@0.15.1/llvm · process (n=200)'));
    expect(legends).toContain(whole(`${LONG_LABEL} · process (n=200)`)); // wrapped onto lines, every character kept
    expect(legends.filter((l) => l.includes('…'))).toEqual([]);
  });

  it('gives every axis round ticks from at or below the data minimum to at or above its maximum', () => {
    const problems = page.charts.flatMap((c) => [axisProblem(c, 'x'), axisProblem(c, 'y')].filter((p) => p !== null).map((p) => `${c.title}: ${p}`));
    expect(problems).toEqual([]);
    // node-wasi's 19.1 MiB peak RSS: binary ticks 0, 4, …, 20 MiB.
    const mem = page.charts.find((c) => c.title === 'Memory per sample over the run');
    expect(ticksOf(mem?.axes['yTicks'])).toEqual([0, 4, 8, 12, 16, 20].map((m) => m * 1024 ** 2));
    expect(html).toMatch(/>20 MiB</);
  });

  it('draws each runtime in one colour in every chart, and no two runtimes alike', () => {
    const byRuntime = new Map<string, Set<string>>();
    for (const c of page.charts) for (const [rt, colour] of c.colours) byRuntime.set(rt, (byRuntime.get(rt) ?? new Set()).add(colour));
    for (const rt of ['native', 'node-wasi', 'node-wasi-inproc', 'wasmedge@0.15.1/llvm', 'wasmtime', LONG_LABEL, 'iwasm', 'crun-wasm', 'runc']) expect(byRuntime.get(rt)?.size, rt).toBe(1);
    const colours = [...byRuntime.values()].map((s) => [...s][0]);
    expect(new Set(colours).size).toBe(colours.length);
    // A runtime appears in several charts (latency, ratio, memory), so stability is tested across charts.
    expect(page.charts.filter((c) => c.colours.some(([rt]) => rt === 'wasmedge@0.15.1/llvm')).length).toBeGreaterThanOrEqual(4);
  });

  it('says each not-measured reason once, not on every row', () => {
    for (const reason of [WASMER_REASON, AOT_REASON]) {
      const escaped = reason.replace(/&/g, '&amp;').replace(/'/g, '&apos;');
      expect((html.split(escaped).length - 1), reason).toBe(3); // once each in the claims notes, the not-compared list, the not-measured list
    }
    expect(html).toMatch(/Not compared \(\d+, \d+ reasons\)/);
  });
});
