/**
 * A process-layer target defined by a command line: find the binary (a build chosen by version, --opt bin, the
 * EDGEBENCH_<NAME>_BIN override, PATH, else the newest build of scripts/build-runtimes.sh), fingerprint it, start
 * the workload repeatedly.
 */
import type { MetricSpec, Sample } from '../../core/metric.js';
import { binVar, env } from '../../env/environment.js';
import { chooseBuild, libwasmedgeTool, newestBuild, withBuild, type RuntimeBuild } from '../../env/runtime-builds.js';
import { fingerprintTool, which } from '../../env/tools.js';
import type { WasmAbi } from '../../fixtures/workload.js';
import type { BuildInfo, ToolFingerprint, Workload } from '../../result/types.js';
import type { Availability, ColdStartRequest, Target } from '../target.js';
import { launchRepeated, processMetrics } from './launcher.js';

/** Declares a runtime that runs workloads as `binary ...args`. */
export interface CommandRuntimeDef {
  runtime: string;
  description: string;
  accepts: ReadonlyArray<Workload['kind']>;
  /** Host interfaces beyond WASI preview1 the runtime provides (Target.wasmAbis). */
  wasmAbis?: readonly WasmAbi[];
  /** Executable name searched on PATH (options.bin overrides it). */
  binary: string;
  versionArgs?: string[];
  /** How to install it, shown when absent. */
  howToGet: string;
  /** Command line that starts the workload once. */
  argv(bin: string, workload: Workload, prepared: string): string[];
  /**
   * Optional preparation outside the timed starts (e.g. AOT compilation): the path the argv should use, and
   * per-metric values (each its own metric, never part of a start) with their declarations.
   */
  prepare?(bin: string, workload: Workload, options: Record<string, string>): Promise<Prepared>;
  /** Builds of scripts/build-runtimes.sh this runtime can run on: their runtime name and usable variants, preferred first. */
  cached?: { runtime: string; variants: readonly string[] };
  /** Build facts inferred from linked libraries (e.g. LLVM → AOT capable). */
  build?(libs: string[]): Partial<BuildInfo>;
  notes?: string[];
}

/** What a preparation step hands the starts: the path to run, and its own metrics' values (one list per metric). */
export interface Prepared {
  path: string;
  metrics?: MetricSpec[];
  values?: Record<string, number[]>;
  notes?: string[];
}

/** Where the binary comes from: a chosen or fallback build, an explicit path/name, or PATH. */
interface BinarySource {
  /** Executable name or path to look up. */
  name: string;
  build: RuntimeBuild | null;
  /** How it was chosen, for the result's notes. */
  how: string;
}

/** Picks the binary; a build named by version that is absent is a UserError (thrown when the target is created). */
function binarySource(def: CommandRuntimeDef, options: Record<string, string>): BinarySource {
  const version = options['build-version'];
  if (version && def.cached) {
    const b = chooseBuild(def.cached.runtime, version, options['build-variant'] ?? null, def.cached.variants, def.runtime);
    return { name: b.binary, build: b, how: `build ${b.name}, chosen by version` };
  }
  if (options['bin']) return { name: options['bin'], build: null, how: '--opt bin' };
  const fromEnv = env.bin(def.runtime);
  if (fromEnv) return { name: fromEnv, build: null, how: binVar(def.runtime) };
  if (which(def.binary) || !def.cached) return { name: def.binary, build: null, how: 'PATH' };
  const b = newestBuild(def.cached.runtime, def.cached.variants);
  return b ? { name: b.binary, build: b, how: `build ${b.name} (not on PATH; the newest ${def.cached.variants.join('/')} build in the cache)` } : { name: def.binary, build: null, how: 'PATH' };
}

/** Creates a Target from a command definition. */
export function commandRuntime(def: CommandRuntimeDef, options: Record<string, string>): Target {
  const src = binarySource(def, options);
  let tool: ToolFingerprint | undefined;
  // Preparation (e.g. AOT compilation) runs once per target and workload, however many rounds the starts come in.
  const preparedFor = new Map<string, Promise<Prepared>>();
  let measured = 0;
  return {
    layer: 'process',
    runtime: def.runtime,
    description: def.description,
    accepts: def.accepts,
    sampleTimeouts: true,
    ...(def.wasmAbis ? { wasmAbis: def.wasmAbis } : {}),
    async probe(): Promise<Availability> {
      const bin = which(src.name);
      if (!bin) return { available: false, reason: `${src.name} not found on PATH`, howToGet: def.cached ? `${def.howToGet}; or build it here: bash scripts/build-runtimes.sh build` : def.howToGet };
      const opts: Parameters<typeof fingerprintTool>[2] = {};
      if (def.versionArgs) opts.versionArgs = def.versionArgs;
      if (def.build) opts.build = def.build;
      tool = await fingerprintTool(def.runtime, bin, opts);
      if (src.build) tool = withBuild(tool, src.build, def.build ? { aot: def.build(src.build.linkedLibraries).aot ?? src.build.aot } : {});
      const notes = [...(def.notes ?? []), ...(src.how !== 'PATH' ? [`binary: ${src.how}`] : [])];
      // The wasmedge CLI is the same bytes in every version: the library it loads is what tells builds apart.
      const tools = src.build?.runtime === 'wasmedge' ? [tool, await libwasmedgeTool(src.build)] : [tool];
      return notes.length ? { available: true, tools, notes } : { available: true, tools };
    },
    async coldStart(req: ColdStartRequest): Promise<MetricSpec[]> {
      const bin = tool?.path ?? which(src.name);
      if (!bin) throw new Error(`${src.name} not found on PATH`);
      const key = `${bin}\0${req.workload.path}`;
      const first = !preparedFor.has(key);
      if (first) preparedFor.set(key, def.prepare ? def.prepare(bin, req.workload, options) : Promise.resolve({ path: req.workload.path }));
      const prepared = await (preparedFor.get(key) as Promise<Prepared>);
      if (first) for (const n of prepared.notes ?? []) req.onNote?.(n);
      // Preparation figures (e.g. AOT compile times) ride on the first measured samples (over all rounds) as metrics of their own.
      const extra = Object.entries(prepared.values ?? {});
      const onSample = (s: Sample): void => {
        if (!s.warmup && s.ok && extra.length) {
          for (const [k, v] of extra) if (measured < v.length) s.values[k] = v[measured] as number;
          measured++;
        }
        req.onSample(s);
      };
      const clock = await launchRepeated({ argv: def.argv(bin, req.workload, prepared.path), samples: req.samples, warmup: req.warmup, onSample, signal: req.signal, ...(req.timeoutMs ? { timeoutMs: req.timeoutMs } : {}) });
      return [...processMetrics(clock), ...(prepared.metrics ?? [])];
    },
  };
}
