/** The interface every layer's runtime implements; suites depend on this, never on a concrete layer. */
import type { MetricSpec, Sample } from '../core/metric.js';
import type { Layer, ToolFingerprint, Workload } from '../result/types.js';
import type { DensityOutcome, DensityRequest } from './density.js';

/** Whether a target can run here, and if not, why and how to get it. */
export type Availability =
  | { available: true; tools: ToolFingerprint[]; notes?: string[] }
  | { available: false; reason: string; howToGet?: string };

/** A request for repeated cold starts of one workload. */
export interface ColdStartRequest {
  workload: Workload;
  samples: number;
  warmup: number;
  /** Called once per attempt, in order, as soon as it is taken. */
  onSample: (sample: Sample) => void;
  signal: AbortSignal;
  /** Lines for the result's notes (e.g. which phases the timestamps' resolution could support). */
  onNote?: (line: string) => void;
}

/** A request to fill one node with pods up to a target (the pod-density suite). */
export interface PodDensityRequest {
  workload: Workload;
  /** Instances wanted. */
  target: number;
  /** Creation rate and burst during the saturation phase. */
  qps: number;
  burst: number;
  /** Instances per step; the run waits for each step to be running before the next. */
  step: number;
  stepTimeoutMs: number;
  /** Instances started one by one after saturation (the latency phase); each is a sample. */
  latencySamples: number;
  latencyQps: number;
  onSample: (sample: Sample) => void;
  onNote?: (line: string) => void;
  signal: AbortSignal;
}

/** What a pod-density run found. */
export interface PodDensityOutcome {
  metrics: MetricSpec[];
  /** One row per saturation step (instances running, step latency quantiles, node/per-instance memory where real). */
  steps: Record<string, unknown>[];
  /** Instances reached and why the ramp stopped early, if it did. */
  reached: number;
  stoppedBecause: string | null;
}

/** One runtime at one layer. Capabilities beyond probe() are optional; a suite needing a missing one reports "not measured". */
export interface Target {
  readonly layer: Layer;
  readonly runtime: string;
  /** One line: what this target runs and how. */
  readonly description: string;
  /** Workload kinds it can start. */
  readonly accepts: ReadonlyArray<Workload['kind']>;
  /** Checks presence and fingerprints the tools it would use. */
  probe(): Promise<Availability>;
  /** Starts the workload repeatedly, each start a sample; resolves with the metrics the samples carry. */
  coldStart?(req: ColdStartRequest): Promise<MetricSpec[]>;
  /** Starts long-running instances step by step up to a target or the first failure, measuring memory per step (density, memory suites). */
  density?(req: DensityRequest): Promise<DensityOutcome>;
  /** Fills one node with pods in the manner of clusterloader2 (saturation, then a latency phase): the kube layer's density. */
  podDensity?(req: PodDensityRequest): Promise<PodDensityOutcome>;
  /**
   * Checks what the user must fix before anything runs (daemon socket, configuration, cluster access, RuntimeClass,
   * node capacity for the suite's settings); throws a UserError.
   */
  preflight?(params?: Record<string, string | number>): Promise<void>;
}

/** Builds a target; options come from the CLI or a plan (e.g. a binary path override). */
export type TargetFactory = (options: Record<string, string>) => Target;
