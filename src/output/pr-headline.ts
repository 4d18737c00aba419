/** The PR comment's headline paragraph: claims verdicts per layer, regressions, how many cells were measured. No I/O. */
import { tally } from '../claims/engine.js';
import type { ClaimVerdict, VerdictKind } from '../claims/types.js';
import type { Observation } from '../result/observation.js';
import { LAYERS } from '../result/types.js';
import { mdText } from './pr-md.js';
import type { ReportInput } from './report-input.js';

const WORD: Record<VerdictKind, string> = { confirmed: 'confirmed', refuted: 'refuted', inconclusive: 'inconclusive', 'not-measured': 'not measured' };

/** "**Claims** — process: 5 confirmed, 1 refuted · oci: 3 not measured" (zero counts left out). */
function claimsLine(verdicts: readonly ClaimVerdict[] | undefined): string {
  if (!verdicts?.length) return '**Claims:** none judged.';
  const parts: string[] = [];
  for (const layer of LAYERS) {
    const t = tally(verdicts.filter((v) => v.layer === layer));
    const counts = (Object.keys(WORD) as VerdictKind[]).filter((k) => t[k] > 0).map((k) => `${t[k]} ${WORD[k]}`);
    if (counts.length) parts.push(`${layer}: ${counts.join(', ')}`);
  }
  return `**Claims** — ${parts.join(' · ')}.`;
}

/** Regressions against the baseline (or that none was compared), and history change points in the worse direction. */
function regressionsLine(input: Pick<ReportInput, 'comparisons' | 'baseline' | 'trends'>): string {
  const c = input.comparisons;
  const against = input.baseline ? ` against baseline ${mdText(input.baseline)}` : ' against the baseline';
  let line: string;
  if (!c) line = '**Regressions:** no baseline compared';
  else {
    const n = c.reduce((s, p) => s + p.metrics.filter((m) => m.change === 'regressed').length, 0);
    const metrics = c.reduce((s, p) => s + p.metrics.length, 0);
    line = `**Regressions:** ${n ? `**${n}**` : 'none'}${against} (${metrics} metric${metrics === 1 ? '' : 's'} compared in ${c.length} pair${c.length === 1 ? '' : 's'}; a regression's 95 % CI of the ratio lies wholly beyond the threshold)`;
  }
  const flagged = input.trends?.filter((t) => t.regressions.length).length ?? 0;
  if (input.trends?.length) line += `; history: ${flagged} of ${input.trends.length} series with a change point in the worse direction`;
  return `${line}.`;
}

/** "**Cells:** 18 of 131 measured (4 simulated), 1 invalid, 112 not measured (reasons in the footnotes)." */
function cellsLine(observations: readonly Observation[]): string {
  const rs = observations.map((o) => o.result);
  const ok = rs.filter((r) => r.status === 'ok');
  const sim = ok.filter((r) => r.target.simulated === true).length;
  const unknown = ok.filter((r) => r.target.simulated === null).length;
  const marks = [...(sim ? [`${sim} simulated`] : []), ...(unknown ? [`${unknown} possibly simulated`] : [])];
  const invalid = rs.filter((r) => r.status === 'invalid').length;
  const notMeasured = rs.filter((r) => r.status === 'not-measured').length;
  const parts = [`${ok.length} of ${rs.length} measured${marks.length ? ` (${marks.join(', ')})` : ''}`];
  if (invalid) parts.push(`${invalid} invalid`);
  if (notMeasured) parts.push(`${notMeasured} not measured`);
  return `**Cells:** ${parts.join(', ')}${invalid || notMeasured ? ' (reasons in the footnotes)' : ''}.`;
}

/** The headline: one paragraph of three lines (GitHub comments break lines where the source does). */
export function headline(input: ReportInput): string {
  return [claimsLine(input.verdicts), regressionsLine(input), cellsLine(input.observations)].join('\n');
}
