/** Claims verdicts as a table (Markdown or text). No I/O. */
import type { ClaimVerdict, VerdictKind } from '../claims/types.js';
import { markdownTable, textTable } from './format.js';

export const CLAIM_COLUMNS = ['claim', 'layer', 'subject', 'requirement', 'verdict', 'why'];

const MARK: Record<VerdictKind, string> = { confirmed: '✅ confirmed', refuted: '❌ refuted', inconclusive: '❔ inconclusive', 'not-measured': '⏸ not measured' };

/** Rows of the claims table, in claim then layer order. */
export function claimRows(verdicts: readonly ClaimVerdict[], marks = false): string[][] {
  return verdicts.map((v) => [v.claimId, v.layer, v.subject, v.requirement, marks ? MARK[v.verdict] : v.verdict, v.why]);
}

/** The claims table as Markdown. */
export function claimsMarkdown(verdicts: readonly ClaimVerdict[]): string {
  return markdownTable(CLAIM_COLUMNS, claimRows(verdicts, true));
}

/** The claims table as aligned text. */
export function claimsText(verdicts: readonly ClaimVerdict[]): string {
  return textTable(CLAIM_COLUMNS, claimRows(verdicts));
}

/** One line: "N confirmed, N refuted, N inconclusive, N not measured". */
export function tallyLine(t: Record<VerdictKind, number>): string {
  return `${t.confirmed} confirmed, ${t.refuted} refuted, ${t.inconclusive} inconclusive, ${t['not-measured']} not measured`;
}
