/** What a measurement produces: metric declarations and raw samples. */
import type { ClockInfo } from './clock.js';
import type { Unit } from './histogram.js';

/**
 * Which way a metric improves: `lower` (durations, memory, failures), `higher` (throughput), or `neither`
 * (context such as the offered load: it is compared, but a change is never an improvement or a regression).
 * Declared with each metric, never inferred from its unit: `requests_failed` and `requests_sent` share a unit.
 */
export type Better = 'lower' | 'higher' | 'neither';

/** The directions a metric may declare. */
export const BETTER_VALUES: readonly Better[] = ['lower', 'higher', 'neither'];

/** Declares one metric a target reports: its unit, direction, clock and meaning. */
export interface MetricSpec {
  /** Stable name, e.g. "wall", "compile", "peak_rss". */
  name: string;
  unit: Unit;
  /** Which way is better; required. */
  better: Better;
  clock: ClockInfo;
  description: string;
}

/** One attempt as taken: warm-up or measured, successful or failed, with its metric values. */
export interface Sample {
  index: number;
  warmup: boolean;
  ok: boolean;
  /** Why the attempt failed (exit code, signal, exception). */
  error?: string;
  /** Metric values in each metric's declared unit; a metric may be absent from a sample. */
  values: Record<string, number>;
  /** The round it was taken in (runs interleave their cells round by round); absent: round 0. */
  round?: number;
}

/** Null when `spec` declares a direction, else why it is refused. */
export function metricSpecProblem(spec: { name?: unknown; better?: unknown }): string | null {
  if (typeof spec.better === 'string' && (BETTER_VALUES as readonly string[]).includes(spec.better)) return null;
  return `metric ${String(spec.name)} declares no direction (better: ${BETTER_VALUES.join(' | ')}; got ${JSON.stringify(spec.better)})`;
}

/** Throws when any declared metric lacks a direction: such a metric is refused, never guessed. */
export function assertMetricSpecs(specs: readonly MetricSpec[]): void {
  for (const s of specs) {
    const p = metricSpecProblem(s);
    if (p) throw new Error(p);
  }
}
