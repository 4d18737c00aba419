/** The interface every layer's runtime implements; suites depend on this, never on a concrete layer. */
import type { MetricSpec, Sample } from '../core/metric.js';
import type { Layer, ToolFingerprint, Workload } from '../result/types.js';
import type { DensityOutcome, DensityRequest } from './density.js';
import type { LoadReport } from '../load/http-load.js';
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

/** Pods started together and left running; their memory and the control plane's read once settled (memory suite, kube layer). */
export interface PodMemoryRequest {
  workload: Workload;
  /** Pods started (warm-up pods included); each is one sample. */
  pods: number;
  /** The first `warmup` pods are marked warm-up (they absorb first-start costs such as page cache). */
  warmup: number;
  /** Readings of the control plane's memory, one per `intervalMs`; each is one sample. */
  controlPlaneSamples: number;
  intervalMs: number;
  /** Longest wait for the pods to be ready and for the kubelet to report them. */
  timeoutMs: number;
  onSample: (sample: Sample) => void;
  onNote?: (line: string) => void;
  signal: AbortSignal;
}

/** What a pod-memory run found. */
export interface PodMemoryOutcome {
  /** Why it could not be measured at all (e.g. a simulated node); nothing else is set then. */
  notMeasured?: string;
  metrics: MetricSpec[];
  series: Record<string, unknown[]>;
}

/** A rolling update under steady HTTP load (hot-update suite). */
export interface HotUpdateRequest {
  workload: Workload;
  replicas: number;
  maxSurge: number;
  maxUnavailable: number;
  /** HTTP readiness probe on the workload's port. */
  readiness: boolean;
  /** Requests per second (open loop) to the Service's ready endpoints. */
  rate: number;
  port: number;
  /** Start delay (ms) of the replacement version: a slow-starting replacement. */
  newStartDelayMs: number;
  /** How long a replaced instance keeps answering after SIGTERM (ms). */
  drainMs: number;
  /** Load before and after the rollout (ms). */
  settleMs: number;
  timeoutMs: number;
  onNote?: (line: string) => void;
  signal: AbortSignal;
}

/** What one rolling update under load saw. */
export interface HotUpdateOutcome {
  /** Why it could not be measured (e.g. the Service never got endpoints); nothing else is set then. */
  notMeasured?: string;
  load?: LoadReport;
  /** Update request sent → rollout complete seen by watch (client monotonic), when it completed. */
  rolloutNs?: number;
  rolloutError?: string;
  /** Events on the load's clock (ms from load start): update sent, rollout complete, endpoint changes. */
  events: Record<string, unknown>[];
  /** How traffic reached the pods. */
  trafficPath: string;
}

/** Scaling a Deployment from `from` to `to` replicas at once (scale-out suite). */
export interface ScaleOutRequest {
  workload: Workload;
  from: number;
  to: number;
  rounds: number;
  timeoutMs: number;
  cpuIntervalMs: number;
  onSample: (sample: Sample) => void;
  onNote?: (line: string) => void;
  signal: AbortSignal;
}

/** What scale-out runs found: metrics of the samples, CPU series per round. */
export interface ScaleOutOutcome {
  metrics: MetricSpec[];
  series: Record<string, unknown[]>;
}

/** Load-driven autoscaling by the cluster's own autoscaler (autoscale suite). */
export interface AutoscaleRequest {
  workload: Workload;
  /** Requests per second generated (open loop). */
  rate: number;
  /** Target requests per second per replica (the autoscaler's average-value target). */
  perReplica: number;
  maxReplicas: number;
  port: number;
  /** Serve the load as a metric to the autoscaler; false leaves the autoscaler without a metrics API (bad input check). */
  metricsApi: boolean;
  timeoutMs: number;
  onSample: (sample: Sample) => void;
  onNote?: (line: string) => void;
  signal: AbortSignal;
}

/** What an autoscale run found. */
export interface AutoscaleOutcome {
  notMeasured?: string;
  metrics: MetricSpec[];
  series: Record<string, unknown[]>;
}

/** Cutting the node off from the control plane through a configured hook (offline suite). */
export interface OfflineRequest {
  workload: Workload;
  /** Shell commands that cut and heal the partition; nothing else is touched. */
  partitionCmd: string;
  healCmd: string;
  partitionMs: number;
  replicas: number;
  rate: number;
  port: number;
  timeoutMs: number;
  onSample: (sample: Sample) => void;
  onNote?: (line: string) => void;
  signal: AbortSignal;
}

/** What an offline run found. */
export interface OfflineOutcome {
  notMeasured?: string;
  metrics: MetricSpec[];
  series: Record<string, unknown[]>;
  verdicts: Record<string, unknown>[];
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
  /** Starts long-running instances step by step up to a target or the first failure, measuring memory per step (density, memory suites). */
  density?(req: DensityRequest): Promise<DensityOutcome>;
  /** Fills one node with pods in the manner of clusterloader2 (saturation, then a latency phase): the kube layer's density. */
  podDensity?(req: PodDensityRequest): Promise<PodDensityOutcome>;
  /** Starts pods together, reads each one's memory (kubelet summary; /proc and cgroups on the node) and the control plane's (kube layer). */
  podMemory?(req: PodMemoryRequest): Promise<PodMemoryOutcome>;
  /** Rolls a Deployment behind a Service to a new version under steady HTTP load (kube layer). */
  hotUpdate?(req: HotUpdateRequest): Promise<HotUpdateOutcome>;
  /** Scales a Deployment out at once and times each new instance to Ready, with node CPU over time (kube layer). */
  scaleOut?(req: ScaleOutRequest): Promise<ScaleOutOutcome>;
  /** Drives the cluster's autoscaler with generated load and times each added instance from the scaling decision to Ready (kube layer). */
  autoscale?(req: AutoscaleRequest): Promise<AutoscaleOutcome>;
  /** Partitions the node from the control plane via a configured hook, checks local serving, heals and times the resync (kube layer). */
  offline?(req: OfflineRequest): Promise<OfflineOutcome>;
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
