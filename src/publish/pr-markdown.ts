/** Markdown for a pull-request comment: claims, key metrics, comparison with the baseline, environment. No I/O. */
import { tally } from '../claims/engine.js';
import { formatBytes, markdownTable } from '../report/format.js';
import { RESULT_COLUMNS, resultRows } from '../report/result-table.js';
import { claimsMarkdown, tallyLine } from './claims-table.js';
import { compareMarkdown } from './compare-table.js';
import { profilesMarkdown } from './profiles-table.js';
import { COMMENT_MARKER, type ReportInput } from './report-input.js';
import { displayRuntime } from '../result/label.js';

/** Renders the PR-comment Markdown (starts with the marker the workflow updates the comment by). */
export function prMarkdown(input: ReportInput): string {
  const results = input.observations.map((o) => o.result);
  const out: string[] = [COMMENT_MARKER, `## ${input.title}`, ''];
  if (input.comparisons?.length) {
    const regressions = input.comparisons.flatMap((p) => p.metrics.filter((m) => m.change === 'regressed'));
    out.push(`### Comparison with the baseline${input.baseline ? ` (${input.baseline})` : ''}`, '', regressions.length ? `**${regressions.length} regression(s)** (95% CI of the ratio wholly beyond the threshold).` : 'No regression (no metric\'s 95% CI lies wholly beyond the threshold).', '', compareMarkdown(input.comparisons, input.compareStatistic), '');
  }
  if (input.verdicts?.length) {
    out.push('### Claims', '', `${tallyLine(tally(input.verdicts))}.`, '', '<details><summary>Claims table</summary>', '', claimsMarkdown(input.verdicts), '', '</details>', '');
  }
  out.push('### Key metrics', '', markdownTable(RESULT_COLUMNS, resultRows(results)), '');
  if (input.profiles?.length) out.push('<details><summary>Scenario profiles</summary>', '', profilesMarkdown(input.profiles), '', '</details>', '');
  if (input.trends?.length) {
    const flagged = input.trends.filter((t) => t.regressions.length);
    out.push('### History', '', flagged.length ? `Change points in the worse direction: ${flagged.map((t) => `${t.key} (${t.regressions.map((c) => `${(c.relativeChange * 100).toFixed(1)}% at run ${t.points[c.index]?.runId ?? c.index}`).join(', ')})`).join('; ')}.` : `No regression change point in ${input.trends.length} series.`, '');
  }
  const first = results[0];
  if (first) {
    const h = first.environment.host;
    out.push('### Environment', '', `${h.cpuModel}, ${h.cores} cores, ${formatBytes(h.memoryBytes)}, ${h.os}, kernel ${h.kernel}, Node ${h.nodeVersion}; edgebench ${first.harness.version} (${first.harness.gitCommit?.slice(0, 12) ?? 'no git'}).`);
    const tools = new Map<string, string>();
    for (const r of results) for (const t of r.environment.tools) tools.set(`${t.name}@${t.path}`, `${t.name} ${t.version ?? '?'}${t.sha256 ? ` (sha256 ${t.sha256.slice(0, 12)})` : ''}`);
    if (tools.size) out.push('', `Runtimes: ${[...tools.values()].join(', ')}.`);
    const notMeasured = results.filter((r) => r.status === 'not-measured');
    if (notMeasured.length) out.push('', 'Not measured:', '', ...[...new Set(notMeasured.map((r) => `- ${r.layer}/${displayRuntime(r)}: ${r.reason ?? ''}`))]);
  }
  out.push('', `<sub>Generated ${input.generatedAt} by edgebench.</sub>`, '');
  return out.join('\n');
}
