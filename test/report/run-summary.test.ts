/** The line a run ends with counts what was measured and the verdicts between builds, and names the exit code. */
import { describe, expect, it } from 'vitest';
import type { BuildVerdictRow } from '../../src/compare/within-run.js';
import { runSummaryLine } from '../../src/output/run-summary.js';
import type { Result } from '../../src/result/types.js';

const r = (status: Result['status'], verdicts: Record<string, unknown>[] = []): Result => ({ status, verdicts }) as unknown as Result;
const v = (verdict: BuildVerdictRow['verdict']): BuildVerdictRow => ({
  kind: 'verdict',
  cell: 'process/noop',
  base: 'a',
  candidate: 'b',
  verdict,
  wall: undefined,
});

describe('runSummaryLine', () => {
  it('counts statuses, build verdicts and refuted claims', () => {
    expect(runSummaryLine([r('ok'), r('ok'), r('not-measured'), r('invalid')], [v('regression'), v('regression'), v('inconclusive')], 1, false)).toBe(
      'done: 2 measured, 1 not measured, 1 invalid; builds compared: 2 regression, 1 inconclusive → exit 1',
    );
    expect(runSummaryLine([r('ok', [{ verdict: 'refuted' }, { verdict: 'confirmed' }])], [], 1, false)).toBe(
      'done: 1 measured, 0 not measured, 0 invalid; claims refuted: 1 → exit 1',
    );
    expect(runSummaryLine([r('invalid')], [], 130, true)).toBe('interrupted: 0 measured, 0 not measured, 1 invalid → exit 130');
  });
});
