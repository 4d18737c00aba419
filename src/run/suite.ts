/** The interface every suite implements; suites register by name and see only a Target. */
import type { MetricSpec, Sample } from '../core/metric.js';
import type { Workload } from '../result/types.js';
import type { Target } from '../targets/target.js';

/** Parameters common to all suites, plus suite-specific extras. */
export interface SuiteParams {
  samples: number;
  warmup: number;
  maxFailureRatio: number;
  seed: number;
  /** Suite-specific settings (e.g. density target), as given. */
  extra: Record<string, string | number>;
  /** Per-sample limit in ms (`run --timeout`), for suites with `sampleTimeouts`. */
  sampleTimeoutMs?: number;
  /** Rounds the run interleaves its cells in (`run --rounds`); 0 or absent: the layer's default. */
  rounds?: number;
}

/** What a suite gets while measuring one cell. */
export interface MeasureContext {
  target: Target;
  workload: Workload;
  params: SuiteParams;
  /** Records one sample: written to the raw file at once, kept for analysis. */
  record(sample: Sample): void;
  signal: AbortSignal;
}

/** What a suite hands back after measuring. */
export interface MeasureOutcome {
  metrics: MetricSpec[];
  series?: Record<string, unknown[]>;
  notes?: string[];
  /** Verdicts on claims the suite tests (e.g. zero downtime), written to the result as they are. */
  verdicts?: Record<string, unknown>[];
  /** Set when the cell could not be measured (bad cluster input found while running): the reason. */
  notMeasured?: string;
}

/** A named measurement. */
export interface Suite {
  name: string;
  description: string;
  /** Fixture used when none is named. */
  defaultFixture: string;
  /** Settings (--set keys) that hold shell commands: results store their hash, never their text (they may carry secrets). */
  commandSettings?: readonly string[];
  /** Why this suite cannot run on `target`, or null when it can. */
  unsupported(target: Target): string | null;
  /** Attempts planned when not samples + warm-up (progress and the "interrupted after N of M" reason). */
  attempts?(params: SuiteParams, target: Target): number;
  /** Whether measure() can be called once per round with a share of the samples (runs interleave such cells A B A B …). */
  rounds?: boolean;
  /** Whether the suite passes SuiteParams.sampleTimeoutMs on to its target (`run --timeout`). */
  sampleTimeouts?: boolean;
  /** Checks suite settings before anything runs; throws a UserError naming a bad one. */
  validate?(params: SuiteParams): void;
  measure(ctx: MeasureContext): Promise<MeasureOutcome>;
}

const suites = new Map<string, Suite>();

/** Registers a suite under its name. */
export function registerSuite(suite: Suite): void {
  if (suites.has(suite.name)) throw new Error(`suite ${suite.name} registered twice`);
  suites.set(suite.name, suite);
}

/** A registered suite, or undefined. */
export function getSuite(name: string): Suite | undefined {
  return suites.get(name);
}

/** Names of all registered suites. */
export function suiteNames(): string[] {
  return [...suites.keys()];
}
