/** Failure accounting: a run that fails too often is invalid, not summarised. No I/O. */
import type { Sample } from './metric.js';

/** Counts of attempts in a run. */
export interface SampleCounts {
  total: number;
  warmup: number;
  measured: number;
  failed: number;
  /** failed / measured (0 when nothing was measured). */
  failureRatio: number;
}

/** Verdict on whether a run's samples may be summarised. */
export type Validity = { valid: true } | { valid: false; reason: string };

/** Default largest tolerated share of failed measured samples. */
export const DEFAULT_MAX_FAILURE_RATIO = 0.1;

/** Counts warm-up, measured and failed samples (failures in warm-up are not counted as measured). */
export function countSamples(samples: readonly Sample[]): SampleCounts {
  let warmup = 0;
  let failed = 0;
  for (const s of samples) {
    if (s.warmup) warmup++;
    else if (!s.ok) failed++;
  }
  const measured = samples.length - warmup;
  return { total: samples.length, warmup, measured, failed, failureRatio: measured === 0 ? 0 : failed / measured };
}

/** Decides validity: no measured success, or a failure ratio above the limit, makes a run invalid. */
export function judgeValidity(counts: SampleCounts, maxFailureRatio = DEFAULT_MAX_FAILURE_RATIO): Validity {
  if (counts.measured === 0) return { valid: false, reason: 'no measured samples were taken' };
  if (counts.measured === counts.failed) return { valid: false, reason: `all ${counts.measured} measured samples failed` };
  if (counts.failureRatio > maxFailureRatio) {
    const pct = (counts.failureRatio * 100).toFixed(1);
    return {
      valid: false,
      reason: `${counts.failed} of ${counts.measured} measured samples failed (${pct}% > ${(maxFailureRatio * 100).toFixed(1)}% allowed)`,
    };
  }
  return { valid: true };
}
