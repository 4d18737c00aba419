/**
 * The claims table of the PR comment: judged verdicts one row each; not-measured ones one row per claim and layer, whose
 * reasons, when they are a result's not-measured reason, point at that reason's footnote instead of repeating it. No I/O.
 */
import type { ClaimVerdict } from '../claims/types.js';
import { CLAIM_COLUMNS, claimRows } from './claims-table.js';
import type { Footnotes } from './pr-footnotes.js';
import { mdTable, mdText } from './pr-md.js';

/** The claims engine's wording for a result not measured: "runtime NAME not measured: reason". */
const RUNTIME_NOT_MEASURED = /^runtime (.+) not measured$/;

/** Why a group of not-measured verdicts: runtimes grouped by their reason's footnote reference, other reasons once each. */
function groupWhy(whys: readonly string[], notes: Footnotes): string {
  const byRef = new Map<string, string[]>();
  const others: string[] = [];
  for (const why of whys) {
    const s = notes.suffixRef(why.replace(/\s+/g, ' ').trim());
    const m = s ? RUNTIME_NOT_MEASURED.exec(s.prefix) : null;
    if (m && s) {
      const names = byRef.get(s.ref) ?? [];
      byRef.set(s.ref, names);
      if (!names.includes(m[1] as string)) names.push(m[1] as string);
      continue;
    }
    const part = s ? `${mdText(s.prefix)}${s.ref}` : mdText(why);
    if (!others.includes(part)) others.push(part);
  }
  const runtimes = [...byRef].map(([ref, names]) => `${mdText(names.length === 1 ? (names[0] as string) : `(${names.join(', ')})`)}${ref}`);
  return [...(runtimes.length ? [`not measured: ${runtimes.join(', ')}`] : []), ...others].join('; ');
}

/** Rows (Markdown cells) in claim order; not-measured verdicts of one claim and layer folded into one row. */
function compactClaimRows(verdicts: readonly ClaimVerdict[], notes: Footnotes): string[][] {
  const rows: string[][] = [];
  const folded = new Map<string, { row: string[]; subjects: string[]; whys: string[] }>();
  for (const v of verdicts) {
    const row = claimRows([v], true)[0]?.map(mdText);
    if (!row) continue;
    if (v.verdict !== 'not-measured') {
      rows.push(row);
      continue;
    }
    const key = `${v.claimId}\u0000${v.layer}`;
    const f = folded.get(key) ?? { row, subjects: [], whys: [] };
    if (!folded.has(key)) {
      folded.set(key, f);
      rows.push(f.row);
    }
    if (!f.subjects.includes(v.subject)) f.subjects.push(v.subject);
    f.whys.push(v.why);
  }
  for (const f of folded.values()) {
    f.row[2] = f.subjects.length === 1 ? mdText(f.subjects[0] as string) : `${f.subjects.length} subjects`;
    f.row[5] = groupWhy(f.whys, notes);
  }
  return rows;
}

/** The compact claims table as Markdown. */
export function compactClaimsMarkdown(verdicts: readonly ClaimVerdict[], notes: Footnotes): string {
  return mdTable(CLAIM_COLUMNS, compactClaimRows(verdicts, notes));
}
