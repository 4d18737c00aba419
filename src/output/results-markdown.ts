/** Markdown report of a set of results: environment, a metrics table, notes and reasons. */
import type { Result } from '../result/types.js';
import { formatBytes, markdownTable } from './format.js';
import { RESULT_COLUMNS, resultRows } from './result-table.js';
import { displayRuntime } from '../result/label.js';
import type { Renderer } from './renderer.js';
import { resultsOf } from './report-input.js';

/** Renders results as Markdown (for a terminal, a file or a PR comment). */
function markdownReport(results: readonly Result[], title = 'edgebench results'): string {
  const out: string[] = [`## ${title}`, ''];
  const first = results[0];
  if (first) {
    const h = first.environment.host;
    out.push(`Host: ${h.cpuModel}, ${h.cores} cores, ${formatBytes(h.memoryBytes)}, ${h.os}, ${h.kernel}, Node ${h.nodeVersion}. Harness ${first.harness.version} (${first.harness.gitCommit?.slice(0, 12) ?? 'no git'}).`, '');
  }
  out.push(markdownTable(RESULT_COLUMNS, resultRows(results, true)), '');
  const tools = new Map<string, string>();
  for (const r of results) for (const t of r.environment.tools) tools.set(`${t.name}@${t.path}`, `${t.name} ${t.version ?? '?'} (${t.path ?? '?'}, sha256 ${t.sha256?.slice(0, 12) ?? '?'}${t.build?.notes ? `, ${t.build.notes}` : ''})`);
  if (tools.size) out.push('Runtimes and tools:', '', ...[...tools.values()].map((t) => `- ${t}`), '');
  const notes = results.flatMap((r) => (r.notes ?? []).map((n) => `- ${displayRuntime(r)}: ${n}`));
  if (notes.length) out.push('Notes:', '', ...[...new Set(notes)], '');
  return out.join('\n');
}

/** `results-md` (`report --format md`): the results as Markdown. */
export const resultsMarkdownRenderer: Renderer = { format: 'results-md', render: (input) => markdownReport(resultsOf(input), input.title) + '\n' };
