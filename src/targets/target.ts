/** The interface every layer's runtime implements; suites depend on this, never on a concrete layer. */
import type { MetricSpec, Sample } from '../core/metric.js';
import type { Layer, ToolFingerprint, Workload } from '../result/types.js';
import type { FleetSession } from './fleet.js';
import type { WasmAbi } from '../fixtures/workload.js';
import type { KubeCell } from '../kube/cell.js';

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
  /** Per-start limit in ms (`run --timeout`): a start still running is killed and counted failed "timed out after …". Only targets with `sampleTimeouts` get one. */
  timeoutMs?: number;
}

/** One runtime at one layer. Capabilities beyond probe() are optional; a suite needing a missing one reports "not measured". */
export interface Target {
  readonly layer: Layer;
  readonly runtime: string;
  /** One line: what this target runs and how. */
  readonly description: string;
  /** Workload kinds it can start. */
  readonly accepts: ReadonlyArray<Workload['kind']>;
  /** Host interfaces beyond WASI preview1 its Wasm engine provides (e.g. WasmEdge's sockets); read after probe(). None when absent. */
  readonly wasmAbis?: ReadonlyArray<WasmAbi>;
  /** What part of the measured path is simulated (e.g. a simulated node: no kubelet, no runtime), or null when none is. */
  readonly simulation?: string | null;
  /** Whether coldStart() honours ColdStartRequest.timeoutMs (kills a start that runs too long); `run --timeout` is refused for the others. */
  readonly sampleTimeouts?: boolean;
  /** Checks presence and fingerprints the tools it would use. */
  probe(): Promise<Availability>;
  /** Starts the workload repeatedly, each start a sample; resolves with the metrics the samples carry. */
  coldStart?(req: ColdStartRequest): Promise<MetricSpec[]>;
  /** Opens a fleet of long-running instances of the workload that a suite grows one at a time, measures and stops (density, memory suites). */
  fleet?(workload: Workload): Promise<FleetSession>;
  /** The kube session driver (namespace, pods, Deployments' images) the kube suites measure through (kube layer). */
  readonly kube?: KubeCell;
  /**
   * Checks what the user must fix before anything runs (daemon socket, configuration, cluster access, RuntimeClass,
   * node capacity for the suite's settings); throws a UserError.
   */
  preflight?(params?: Record<string, string | number>): Promise<void>;
}

/** Builds a target; options come from the CLI or a plan (e.g. a binary path override). */
export type TargetFactory = (options: Record<string, string>) => Target;
