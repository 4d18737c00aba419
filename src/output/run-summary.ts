/** The one line a run ends with: what was measured, what was not, the verdicts between builds, and the exit code. No I/O. */
import type { WithinRunRow } from '../compare/within-run.js';
import type { Result } from '../result/types.js';

/** "done: 3 measured, 1 not measured, 0 invalid; builds: 1 regression; claims refuted: 0 → exit 0". */
export function runSummaryLine(results: readonly Result[], rows: readonly WithinRunRow[], exitCode: number, interrupted: boolean): string {
  const count = (s: Result['status']): number => results.filter((r) => r.status === s).length;
  const parts = [`${count('ok')} measured`, `${count('not-measured')} not measured`, `${count('invalid')} invalid`];
  const verdicts = rows.filter((r) => r.kind === 'verdict').map((r) => r.verdict ?? 'not compared');
  const tally = [...new Set(verdicts)].map((v) => `${verdicts.filter((x) => x === v).length} ${v}`);
  const refuted = results.reduce((n, r) => n + r.verdicts.filter((v) => v['verdict'] === 'refuted').length, 0);
  return `${interrupted ? 'interrupted' : 'done'}: ${parts.join(', ')}${tally.length ? `; builds compared: ${tally.join(', ')}` : ''}${refuted ? `; claims refuted: ${refuted}` : ''} → exit ${exitCode}`;
}
