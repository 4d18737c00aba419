/** The versioned result format (schemas/result.schema.json describes the same shape). */
import type { MetricResult } from '../core/analyze.js';
import type { SampleCounts } from '../core/validity.js';
import type { HostLoad } from '../host/pressure.js';

export type { HostLoad };

/** How a cell's samples were taken in rounds, its turns interleaved with the run's other cells (A B A B …). */
export interface RoundsInfo {
  count: number;
  /** Cells of the run that took turns with it (1: measured alone). */
  interleavedCells: number;
  /** Measured (non-warm-up) attempts per round. */
  samplesPerRound: number[];
}

export const RESULT_SCHEMA = 'edgebench/result';
export const RESULT_SCHEMA_VERSION = 2;
/** Older versions still read (upgraded when loaded). */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [1, 2];

/**
 * The layers a figure can be measured at: `embedded` (a Wasm module instantiated inside an already-running host
 * process: no process start), then the four of the stack — process, oci, cri, kube.
 */
export type Layer = 'embedded' | 'process' | 'oci' | 'cri' | 'kube';
export const LAYERS: readonly Layer[] = ['embedded', 'process', 'oci', 'cri', 'kube'];

/** How a runtime binary was built, where that can be told. */
export interface BuildInfo {
  linkedLibraries?: string[];
  staticallyLinked?: boolean;
  /** Ahead-of-time compilation support (e.g. WasmEdge built with LLVM); null when unknown. */
  aot?: boolean | null;
  notes?: string;
}

/** Identity of one runtime or tool used by a run. */
export interface ToolFingerprint {
  name: string;
  version: string | null;
  path: string | null;
  sha256: string | null;
  build?: BuildInfo;
}

/** The machine the run happened on. */
export interface HostFingerprint {
  cpuModel: string;
  cores: number;
  kernel: string;
  memoryBytes: number;
  os: string;
  arch: string;
  nodeVersion: string;
  hostname: string;
  cgroup?: string;
}

/** What was run. */
export interface Workload {
  name: string;
  kind: 'wasm' | 'native' | 'image' | 'other';
  path: string;
  sha256: string;
  sizeBytes: number;
  args: string[];
  image?: Record<string, unknown>;
}

/** How the target was set up, and whether any of the measured path was simulated. */
export interface TargetSetup {
  /** Target options as given (--opt, a plan's target options), secrets redacted. */
  options: Record<string, string>;
  /** true: part of the measured path was simulated; false: none was; null: unknown (a schema-1 kube result). */
  simulated: boolean | null;
  /** What was simulated (when true), or why it is unknown (when null). */
  simulation?: string;
}

/** A parameter value recorded in a result. */
export type ParamValue = string | number | boolean | null | ReadonlyArray<string | number>;

/** One result file. */
export interface Result {
  schema: typeof RESULT_SCHEMA;
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  runId: string;
  startedAt: string;
  endedAt: string;
  harness: { name: 'edgebench'; version: string; gitCommit: string | null };
  environment: { host: HostFingerprint; tools: ToolFingerprint[] };
  suite: string;
  layer: Layer;
  runtime: string;
  target: TargetSetup;
  workload: Workload | null;
  parameters: Record<string, ParamValue>;
  status: 'ok' | 'invalid' | 'not-measured';
  reason?: string;
  counts: SampleCounts | null;
  /** Rounds the samples were taken in (absent: one round, e.g. results written before rounds existed). */
  rounds?: RoundsInfo;
  /** The host's CPU pressure while the cell measured. */
  hostLoad?: HostLoad;
  metrics: MetricResult[];
  verdicts: Record<string, unknown>[];
  rawSamples: { path: string; format: 'ndjson'; sha256?: string } | null;
  series?: Record<string, unknown[]>;
  notes?: string[];
}
