/** Why samples failed, said where people look: the result's reason and notes, the run's summary. No I/O. */
import type { Sample } from '../core/metric.js';

/** "sample 3 (warm-up): exit code 3; stderr: …" for the first failed attempt, or null when none failed. */
export function firstFailure(samples: readonly Sample[]): string | null {
  const s = samples.find((x) => !x.ok);
  if (!s) return null;
  return `sample ${s.index}${s.warmup ? ' (warm-up)' : ''}: ${s.error ?? 'failed (no cause recorded)'}`;
}

/** A reason with the first failure's cause added, when a sample failed. */
export function withFirstFailure(reason: string, samples: readonly Sample[]): string {
  const f = firstFailure(samples);
  return f ? `${reason}; first failure: ${f}` : reason;
}

/** A note for a result that stayed valid although some samples failed, or null when none did. */
export function failureNote(samples: readonly Sample[]): string | null {
  const f = firstFailure(samples);
  if (!f) return null;
  const measured = samples.filter((s) => !s.warmup);
  const failed = measured.filter((s) => !s.ok).length;
  const warm = samples.filter((s) => s.warmup && !s.ok).length;
  return `${failed} of ${measured.length} measured samples failed${warm ? ` (and ${warm} warm-up)` : ''}; first failure: ${f}`;
}
