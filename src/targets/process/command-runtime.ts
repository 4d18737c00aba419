/** A process-layer target defined by a command line: find the binary, fingerprint it, start the workload repeatedly. */
import type { MetricSpec } from '../../core/metric.js';
import { fingerprintTool, which } from '../../env/tools.js';
import type { BuildInfo, ToolFingerprint, Workload } from '../../result/types.js';
import type { Availability, ColdStartRequest, Target } from '../target.js';
import { launchRepeated, processMetrics } from './launcher.js';

/** Declares a runtime that runs workloads as `binary ...args`. */
export interface CommandRuntimeDef {
  runtime: string;
  description: string;
  accepts: ReadonlyArray<Workload['kind']>;
  /** Executable name searched on PATH (options.bin overrides it). */
  binary: string;
  versionArgs?: string[];
  /** How to install it, shown when absent. */
  howToGet: string;
  /** Command line that starts the workload once. */
  argv(bin: string, workload: Workload, prepared: string): string[];
  /** Optional untimed preparation (e.g. AOT compilation); returns the path the argv should use. */
  prepare?(bin: string, workload: Workload): Promise<string>;
  /** Build facts inferred from linked libraries (e.g. LLVM → AOT capable). */
  build?(libs: string[]): Partial<BuildInfo>;
  notes?: string[];
}

/** Creates a Target from a command definition. */
export function commandRuntime(def: CommandRuntimeDef, options: Record<string, string>): Target {
  const binName = options['bin'] ?? process.env[`EDGEBENCH_${def.runtime.toUpperCase().replace(/-/g, '_')}_BIN`] ?? def.binary;
  let tool: ToolFingerprint | undefined;
  return {
    layer: 'process',
    runtime: def.runtime,
    description: def.description,
    accepts: def.accepts,
    async probe(): Promise<Availability> {
      const bin = which(binName);
      if (!bin) return { available: false, reason: `${binName} not found on PATH`, howToGet: def.howToGet };
      const opts: Parameters<typeof fingerprintTool>[2] = {};
      if (def.versionArgs) opts.versionArgs = def.versionArgs;
      if (def.build) opts.build = def.build;
      tool = await fingerprintTool(def.runtime, bin, opts);
      return def.notes ? { available: true, tools: [tool], notes: def.notes } : { available: true, tools: [tool] };
    },
    async coldStart(req: ColdStartRequest): Promise<MetricSpec[]> {
      const bin = tool?.path ?? which(binName);
      if (!bin) throw new Error(`${binName} not found on PATH`);
      const prepared = def.prepare ? await def.prepare(bin, req.workload) : req.workload.path;
      const clock = await launchRepeated({ argv: def.argv(bin, req.workload, prepared), samples: req.samples, warmup: req.warmup, onSample: req.onSample, signal: req.signal });
      return processMetrics(clock);
    },
  };
}
