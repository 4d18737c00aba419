/** The HTML report's tables: measured rows only, with what was not measured or not compared said once per distinct reason. No I/O. */
import type { ClaimVerdict } from '../claims/types.js';
import type { PairComparison } from '../compare/compare.js';
import { RESULT_COLUMNS, resultRows } from './result-table.js';
import { displayRuntime } from '../result/label.js';
import type { Result } from '../result/types.js';
import { CLAIM_COLUMNS, claimRows } from './claims-table.js';
import { COMPARE_COLUMNS, compareRows } from './compare-table.js';
import { xmlEscape as esc } from './junit.js';

/** An HTML table; `cls(row)` may give a row a class. */
export function htmlTable(header: readonly string[], rows: readonly string[][], cls?: (row: string[]) => string): string {
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr${cls ? ` class="${cls(r)}"` : ''}>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** Items grouped by reason, in first-seen order. */
function byReason(items: ReadonlyArray<{ reason: string; what: string }>): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const i of items) by.set(i.reason, [...(by.get(i.reason) ?? []), i.what]);
  return by;
}

/** Items grouped under their reason, in first-seen order: one numbered list entry per distinct reason. */
function reasonList(cls: string, heading: string, items: ReadonlyArray<{ reason: string; what: string }>): string {
  if (items.length === 0) return '';
  const by = byReason(items);
  const entries = [...by].map(([reason, whats], n) => `<li id="${cls}-${n + 1}"><b>[${n + 1}]</b> ${esc(reason)} <span class="cells">— ${whats.length} × ${esc(whats.join(', '))}</span></li>`);
  return `<p class="${cls}">${esc(heading)} (${items.length}, ${by.size} reason${by.size === 1 ? '' : 's'}):</p><ol class="reasons ${cls}">${entries.join('')}</ol>`;
}

/** A result's cell name: suite layer/runtime/fixture. */
function cell(r: Result): string {
  return `${r.suite} ${r.layer}/${displayRuntime(r)}/${r.workload?.name ?? '-'}`;
}

/** Key metrics of the measured results; the others listed under their reasons. */
export function resultsSection(results: readonly Result[]): string {
  const ok = results.filter((r) => r.status === 'ok');
  const other = results.filter((r) => r.status !== 'ok').map((r) => ({ reason: `${r.status}: ${r.reason ?? 'no reason given'}`, what: cell(r) }));
  // Every row listed is ok: the status column goes.
  const keep = RESULT_COLUMNS.map((c, i) => (c === 'status' ? -1 : i)).filter((i) => i >= 0);
  const pick = (row: readonly string[]): string[] => keep.map((i) => row[i] ?? '');
  const table = ok.length ? htmlTable(pick(RESULT_COLUMNS), resultRows(ok).map(pick)) : '<p>No measured results.</p>';
  return table + reasonList('not-measured', 'Not measured or invalid', other);
}

/** The comparison with the baseline: compared metrics in a table; pairs not compared or refused under their reasons. */
export function comparisonSection(pairs: readonly PairComparison[], statistic?: string): string {
  const compared = pairs.filter((p) => !p.skipped && (p.forced || p.differences.length === 0));
  const rest = pairs.filter((p) => !compared.includes(p)).map((p) => ({ reason: p.skipped ? `not compared: ${p.skipped}` : `refused: ${p.differences.join('; ')} (use --force)`, what: p.label }));
  const table = compared.length ? htmlTable(COMPARE_COLUMNS, compareRows(compared, statistic)) : '<p>No pair could be compared.</p>';
  return table + reasonList('not-compared', 'Not compared', rest);
}

/** The claims table of the verdicts that were judged; the not-measured ones listed under their reasons, each reason once. */
export function claimsSection(verdicts: readonly ClaimVerdict[], rowClass: (row: string[]) => string): string {
  const judged = verdicts.filter((v) => v.verdict !== 'not-measured');
  const items = verdicts.filter((v) => v.verdict === 'not-measured').map((v) => ({ reason: v.why, what: `${v.claimId} (${v.layer}${v.subject === '-' ? '' : ` ${v.subject}`})` }));
  const table = judged.length ? htmlTable(CLAIM_COLUMNS, claimRows(judged), rowClass) : '<p>No claim could be judged.</p>';
  return table + reasonList('claims-not-measured', 'Not measured', items);
}
