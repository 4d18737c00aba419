/** Per-phase tables: every metric (phase) of a suite's measured results, for a folded block of the PR comment. No I/O. */
import { displayRuntime } from '../result/label.js';
import type { Observation } from '../result/observation.js';
import { fixtureName } from './pr-fixture.js';
import { mdTable, mdText, type Align } from './pr-md.js';
import { figureCells, FIGURE_HEADERS } from './pr-row.js';

/** Header cells of a per-phase table. */
const PHASE_HEADER = ['layer', 'runtime', 'fixture', 'metric', ...FIGURE_HEADERS];

/** Whether a suite has more to show per phase than its compact table does (some result with several metrics). */
export function hasPhases(list: readonly Observation[]): boolean {
  return list.some((o) => o.result.status === 'ok' && o.result.metrics.length > 1);
}

/** One row per metric of each ok result of the suite. */
export function phaseTable(list: readonly Observation[]): string {
  const rows: string[][] = [];
  for (const o of list) {
    const r = o.result;
    if (r.status !== 'ok') continue;
    for (const m of r.metrics) rows.push([r.layer, mdText(displayRuntime(r)), mdText(fixtureName(o)), mdText(m.name), ...figureCells(o, m)]);
  }
  const align: Align[] = PHASE_HEADER.map((_, i) => (i < 4 ? 'left' : 'right'));
  return mdTable(PHASE_HEADER, rows, align);
}
