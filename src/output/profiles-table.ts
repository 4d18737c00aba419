/** Profile assessments as a table. No I/O. */
import type { ProfileAssessment } from '../claims/profiles.js';
import { markdownTable, textTable } from './format.js';

export const PROFILE_COLUMNS = ['profile', 'layer', 'runtime', 'status', 'margin', 'requirements'];

const m = (x: number | undefined): string => (x === undefined ? '-' : !Number.isFinite(x) ? '∞' : `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`);

/** Rows: one per profile and stack. */
export function profileRows(list: readonly ProfileAssessment[]): string[][] {
  return list.map((a) => [
    a.profileName, a.layer, a.runtime, a.status, m(a.margin),
    [...a.requirements.map((r) => `${r.text}: ${r.verdict}${r.margin !== undefined ? ` (margin ${m(r.margin)})` : ''}${r.verdict === 'confirmed' ? '' : ` — ${r.why}`}`), ...a.conditions.map((c) => `assumes ${c} (not measured)`)].join('; '),
  ]);
}

/** Markdown table. */
export function profilesMarkdown(list: readonly ProfileAssessment[]): string {
  return markdownTable(PROFILE_COLUMNS, profileRows(list));
}

/** Text table. */
export function profilesText(list: readonly ProfileAssessment[]): string {
  return textTable(PROFILE_COLUMNS, profileRows(list));
}
