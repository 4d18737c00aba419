/** One sample of a pod start: the startup phases measured on its timeline (latency.ts), or the error that failed it. */
import type { Sample } from '../core/metric.js';
import { PHASES, phaseValue, type PodTimeline } from './latency.js';

/** The sample for pod number `index` (a warmup sample when `warmup`). */
export function podSample(index: number, warmup: boolean, t: PodTimeline | undefined, error?: string): Sample {
  const values: Record<string, number> = {};
  if (t && !error) {
    for (const p of PHASES) {
      const v = phaseValue(t, p);
      if (v.status === 'measured') values[p.name] = v.ns;
    }
  }
  return error ? { index, warmup, ok: false, error, values } : { index, warmup, ok: true, values };
}
