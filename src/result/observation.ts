/** An observation: a result plus its measured values per metric, as the claim, compare and report engines take them. No I/O. */
import type { Result } from './types.js';

/** Where an observation's values came from. */
export type ValuesSource = 'raw-samples' | 'histogram';

/** A result with the values behind its summaries (from raw samples when kept, else from its histograms). */
export interface Observation {
  result: Result;
  /** The file it came from, for messages; absent for results built in memory. */
  path?: string;
  /** Values of each metric over the measured, successful samples. */
  values: Record<string, number[]>;
  /** The round each value was taken in (parallel to values), from raw samples of a run with rounds; absent: one round. */
  rounds?: Record<string, number[]>;
  /** Per-sample timeline (offset from the run start in ns, value) for metrics where raw samples were kept. */
  timeline?: Record<string, Array<[number, number]>>;
  source: ValuesSource;
  /** Why raw samples were not used, when they were not. */
  sourceNote?: string;
}
