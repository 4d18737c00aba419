/** One compact table per suite: a row per measured layer × runtime build × fixture; not-measured cells as footnotes. No I/O. */
import { headlineMetric } from './result-table.js';
import { displayRuntime } from '../result/label.js';
import type { Observation } from '../result/observation.js';
import { LAYERS } from '../result/types.js';
import { fixtureName } from './pr-fixture.js';
import type { Footnotes, NoteCell } from './pr-footnotes.js';
import { mdTable, mdText, type Align } from './pr-md.js';
import { emptyFigureCells, figureCells, FIGURE_HEADERS, NO_FIGURE } from './pr-row.js';

/** Observations by suite in order of first appearance; within a suite in layer order (stable). */
export function bySuite(observations: readonly Observation[]): Map<string, Observation[]> {
  const suites = new Map<string, Observation[]>();
  for (const o of observations) suites.set(o.result.suite, [...(suites.get(o.result.suite) ?? []), o]);
  for (const list of suites.values()) list.sort((a, b) => LAYERS.indexOf(a.result.layer) - LAYERS.indexOf(b.result.layer));
  return suites;
}

/** The cell an observation stands for, as footnotes list it. */
function noteCell(o: Observation): NoteCell {
  const r = o.result;
  return { suite: r.suite, layer: r.layer, runtime: displayRuntime(r), fixture: fixtureName(o) };
}

/** The headline metric every ok result of the suite shares ('' for none), or null when they differ (a metric column then). */
function sharedMetric(list: readonly Observation[]): string | null {
  const names = new Set(list.filter((o) => o.result.status === 'ok').map((o) => headlineMetric(o.result)?.name ?? NO_FIGURE));
  return names.size <= 1 ? ([...names][0] ?? '') : null;
}

/** Header cells of a suite's table (with a metric column when `metric` is null). */
function suiteHeader(metric: string | null): string[] {
  return ['layer', 'runtime', 'fixture', ...(metric === null ? ['metric'] : []), ...FIGURE_HEADERS, 'failures'];
}

/** The table row of a measured (ok or invalid) result. */
function row(o: Observation, withMetric: boolean, notes: Footnotes): string[] {
  const r = o.result;
  const c = r.counts;
  const failures = c ? `${c.failed}/${c.measured}` : NO_FIGURE;
  const m = r.status === 'ok' ? headlineMetric(r) : undefined;
  const label = [r.layer, mdText(displayRuntime(r)), mdText(fixtureName(o)), ...(withMetric ? [mdText(m?.name ?? NO_FIGURE)] : [])];
  if (m) return [...label, ...figureCells(o, m), failures];
  const why = r.status === 'invalid' ? ` invalid${notes.ref(`invalid: ${r.reason ?? 'no reason recorded'}`, [noteCell(o)])}` : '';
  return [...label, ...emptyFigureCells(c ? String(c.measured - c.failed) : NO_FIGURE), `${failures}${why}`];
}

/** Runtimes named in a not-measured line: "wasmer", "(wasmer, iwasm)"; "all N cells" for a reason covering a layer of 4 or more runtimes. */
function runtimesLabel(os: readonly Observation[], layerCells: number): string {
  const runtimes = [...new Set(os.map((o) => displayRuntime(o.result)))];
  if (runtimes.length > 3 && os.length === layerCells) return `all ${os.length} cells`;
  return runtimes.length === 1 ? (runtimes[0] as string) : `(${runtimes.join(', ')})`;
}

/**
 * The not-measured line of a suite, per layer the runtimes not measured, each reason's footnote after them:
 * "Not measured: 30 of 40 cells — embedded: native[^1], wasmer[^2] · cri: all 8 cells[^3]." Null when none.
 */
function notMeasuredLine(list: readonly Observation[], notes: Footnotes): string | null {
  const byLayer = new Map<string, Map<string, Observation[]>>();
  let n = 0;
  for (const o of list) {
    const r = o.result;
    if (r.status !== 'not-measured') continue;
    n++;
    const reasons = byLayer.get(r.layer) ?? new Map<string, Observation[]>();
    byLayer.set(r.layer, reasons);
    reasons.set(r.reason ?? '', [...(reasons.get(r.reason ?? '') ?? []), o]);
  }
  if (!n) return null;
  const parts = [...byLayer].map(([layer, reasons]) => {
    const cells = list.filter((o) => o.result.layer === layer).length;
    return `${layer}: ${[...reasons].map(([reason, os]) => `${mdText(runtimesLabel(os, cells))}${notes.ref(reason, os.map(noteCell))}`).join(', ')}`;
  });
  return `Not measured: ${n} of ${list.length} cells — ${parts.join(' · ')}.`;
}

/** A suite's section: heading, the table of its measured cells (when any), its not-measured line (when any). */
export function suiteSection(suite: string, list: readonly Observation[], notes: Footnotes): string {
  const measured = list.filter((o) => o.result.status !== 'not-measured');
  const metric = sharedMetric(measured);
  const out = [`### ${mdText(suite)}${metric ? ` · ${mdText(metric)}` : ''}`];
  if (measured.length) {
    const header = suiteHeader(metric);
    const align: Align[] = header.map((_, i) => (i < (metric === null ? 4 : 3) ? 'left' : 'right'));
    out.push('', mdTable(header, measured.map((o) => row(o, metric === null, notes)), align));
  }
  const nm = notMeasuredLine(list, notes);
  if (nm) out.push('', nm);
  return out.join('\n');
}
