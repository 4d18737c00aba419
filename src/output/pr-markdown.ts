/**
 * Markdown for a pull-request comment that fits one screen: a headline (claims per layer, regressions, cells), one
 * compact table per suite, "not measured" reasons once each as footnotes, everything else folded in <details>. No I/O.
 */
import { tally } from '../claims/engine.js';
import { tallyLine } from './claims-table.js';
import { profilesMarkdown } from './profiles-table.js';
import { COMMENT_MARKER, type ReportInput } from './report-input.js';
import { compactClaimsMarkdown } from './pr-claims.js';
import { comparisonMarkdown } from './pr-comparison.js';
import { environmentMarkdown } from './pr-environment.js';
import { fitComment, type Folded } from './pr-fit.js';
import { Footnotes } from './pr-footnotes.js';
import { headline } from './pr-headline.js';
import { mdText } from './pr-md.js';
import { hasPhases, phaseTable } from './pr-phases.js';
import { bySuite, suiteSection } from './pr-suite-table.js';
import type { Renderer } from './renderer.js';

/** The folded blocks: per-phase tables, claims, comparison, profiles, history, environment. */
function foldedBlocks(input: ReportInput, suites: Map<string, ReportInput['observations']>, notes: Footnotes): Folded[] {
  const out: Folded[] = [];
  for (const [suite, list] of suites) if (hasPhases(list)) out.push({ summary: `${suite}: every metric (per phase)`, body: phaseTable(list) });
  if (input.verdicts?.length) out.push({ summary: `Claims: ${tallyLine(tally(input.verdicts))}`, body: compactClaimsMarkdown(input.verdicts, notes) });
  if (input.comparisons?.length) out.push({ summary: `Comparison with the baseline${input.baseline ? ` (${input.baseline})` : ''}`, body: comparisonMarkdown(input.comparisons, input.compareStatistic) });
  if (input.profiles?.length) out.push({ summary: 'Scenario profiles', body: profilesMarkdown(input.profiles) });
  if (input.trends?.length) {
    const flagged = input.trends.filter((t) => t.regressions.length);
    const body = flagged.length
      ? flagged.map((t) => `- ${mdText(`${t.key}: ${t.regressions.map((c) => `${(c.relativeChange * 100).toFixed(1)}% at run ${t.points[c.index]?.runId ?? c.index}`).join(', ')}`)}`).join('\n')
      : `No change point in the worse direction in ${input.trends.length} series.`;
    out.push({ summary: `History: ${flagged.length} of ${input.trends.length} series with a change point in the worse direction`, body });
  }
  const env = environmentMarkdown(input.observations.map((o) => o.result));
  if (env) out.push({ summary: 'Environment', body: env });
  return out;
}

/** Renders the PR-comment Markdown (starts with the marker the workflow updates the comment by). */
export function prMarkdown(input: ReportInput): string {
  const notes = new Footnotes();
  const suites = bySuite(input.observations);
  const head = [`${COMMENT_MARKER}\n## ${mdText(input.title)}`, headline(input)];
  for (const [suite, list] of suites) head.push(suiteSection(suite, list, notes));
  if (input.observations.some((o) => o.source === 'histogram' && o.result.status === 'ok')) head.push('≈ p95 read from the stored histogram (3 significant digits) where raw samples were not kept.');
  const tail = [`<sub>Generated ${mdText(input.generatedAt)} by edgebench.</sub>`];
  if (notes.size) tail.push(notes.definitions().join('\n'));
  return fitComment(head, foldedBlocks(input, suites, notes), tail);
}

/** `md`: the pull-request comment. */
export const prMarkdownRenderer: Renderer = { format: 'md', render: prMarkdown };
