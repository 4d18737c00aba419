/** What a measurement produces: metric declarations and raw samples. */
import type { ClockInfo } from './clock.js';
import type { Unit } from './histogram.js';

/** Declares one metric a target reports: its unit, clock and meaning. */
export interface MetricSpec {
  /** Stable name, e.g. "wall", "compile", "peak_rss". */
  name: string;
  unit: Unit;
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
}
