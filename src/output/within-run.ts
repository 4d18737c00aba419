/** The lines `run` prints under its table for comparisons between its cells (rows from src/compare/within-run.ts). */
import type { WithinRunRow } from '../compare/within-run.js';
import { formatRatio } from './format.js';

/** One line per row: "layer/fixture: R / native median wall = …" or "layer/fixture: B vs A: verdict (…)". */
export function withinRunLines(rows: readonly WithinRunRow[]): string[] {
  return rows.map((r) => {
    if (r.kind === 'ratio')
      return `${r.cell}: ${r.runtime} / ${r.reference} median wall = ${formatRatio(r.wall.ratio, r.wall.ci.low, r.wall.ci.high)} (95% CI, ${r.wall.rounds.base} rounds)`;
    const detail = r.wall ? `median wall ${formatRatio(r.wall.ratio, r.wall.ci.low, r.wall.ci.high)}${r.wall.why ? `; ${r.wall.why}` : ''}` : '';
    return `${r.cell}: ${r.candidate} vs ${r.base}: ${r.verdict ?? 'not compared'}${detail ? ` (${detail})` : ''}`;
  });
}
