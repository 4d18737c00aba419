/**
 * Per-layer hooks the CLI runs without knowing the layers (doctor rows, a layer's deeper doctor report, cleanup of
 * what earlier runs left behind); each layer's index.ts registers its own, so a new layer needs no edit to the CLI.
 */
import type { Layer } from '../result/types.js';

/** One row of `edgebench doctor`. */
export interface DoctorRow {
  kind: 'runtime' | 'tool' | 'build';
  layer: string;
  name: string;
  present: boolean;
  version: string | null;
  path: string | null;
  detail: string;
}

/** What `edgebench cleanup` asks of a layer: one run label (null: every run), also active runs' (`all`), or only a check. */
export interface CleanupRequest {
  label: string | null;
  all: boolean;
  check: boolean;
}

/** What a layer's cleanup says: its lines for stdout, and whether something is left (exit 1). */
export interface CleanupReport {
  lines: string[];
  failed: boolean;
}

/** A layer's cleanup by run label. */
export interface LabelCleanup {
  /** The labels its runs carry (a label matching none of the layers' is refused, naming their `describe`s). */
  label: { pattern: RegExp; describe: string };
  /** Where its lines come among the layers' (lower first). */
  order: number;
  run(req: CleanupRequest): Promise<CleanupReport>;
}

/** A cleanup of a cluster (`cleanup --kube`): one run id or every run, dry run or check. */
export interface ClusterCleanupRequest {
  run?: string;
  /** Access options (kubeconfig, context). */
  options: Record<string, string>;
  dryRun: boolean;
  check: boolean;
}

/** A cluster's report for `doctor --kube`: its JSON and its text. */
export interface DoctorReport {
  data: unknown;
  text: string;
}

/** What a layer may add to the CLI's commands. */
export interface LayerHooks {
  /** Doctor rows after the runtimes, tools and builds (e.g. the process layer's timer). */
  doctorRows?(): Promise<DoctorRow[]>;
  /** A deeper report of the layer's world (`doctor --kube`), for access options and a wanted instance count. */
  doctorReport?(options: Record<string, string>, target: number): Promise<DoctorReport>;
  /** `cleanup [--label L]`. */
  cleanup?: LabelCleanup;
  /** `cleanup --kube`. */
  clusterCleanup?(req: ClusterCleanupRequest): Promise<CleanupReport>;
}

const hooks = new Map<Layer, LayerHooks>();

/** Registers a layer's hooks (once per layer). */
export function registerLayer(layer: Layer, h: LayerHooks): void {
  if (hooks.has(layer)) throw new Error(`layer ${layer} registered twice`);
  hooks.set(layer, h);
}

/** A layer's hooks (none registered: empty). */
export function layerHooks(layer: Layer): LayerHooks {
  return hooks.get(layer) ?? {};
}

/** The layers that registered hook `k`, in registration order, with it. */
export function layersWith<K extends keyof LayerHooks>(k: K): Array<{ layer: Layer; hook: NonNullable<LayerHooks[K]> }> {
  const out: Array<{ layer: Layer; hook: NonNullable<LayerHooks[K]> }> = [];
  for (const [layer, h] of hooks) {
    const hook = h[k];
    if (hook) out.push({ layer, hook: hook as NonNullable<LayerHooks[K]> });
  }
  return out;
}
