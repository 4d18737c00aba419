/** Results built in memory for the PR-comment tests: measured (analysed from given values), invalid, not measured. */
import { analyze } from '../../src/core/analyze.js';
import { CLIENT_MONOTONIC } from '../../src/core/clock.js';
import type { Unit } from '../../src/core/histogram.js';
import type { MetricSpec, Sample } from '../../src/core/metric.js';
import type { Observation } from '../../src/result/observation.js';
import { RESULT_SCHEMA, RESULT_SCHEMA_VERSION, type Layer, type Result } from '../../src/result/types.js';

/** Which cell a result is, and how it was set up. */
export interface CellSpec {
  suite: string;
  layer: Layer;
  runtime: string;
  fixture: string;
  /** The plan's label for the runtime build. */
  label?: string;
  simulated?: boolean;
}

/** A result of `cell` with nothing measured yet (status set by the builders below). */
function base(cell: CellSpec): Result {
  return {
    schema: RESULT_SCHEMA, schemaVersion: RESULT_SCHEMA_VERSION, runId: 'nightly-1', startedAt: '2026-12-01T02:00:00Z', endedAt: '2026-12-01T03:00:00Z',
    harness: { name: 'edgebench', version: '0.1.0', gitCommit: '7c680d1aaaaabbbbccccdddd' },
    environment: {
      host: { cpuModel: 'AMD EPYC 7B13', cores: 2, kernel: '6.8.0', memoryBytes: 8 * 1024 ** 3, os: 'Ubuntu 24.04', arch: 'x64', nodeVersion: 'v20.19.0', hostname: 'ci-1' },
      tools: [{ name: cell.runtime, version: '1.0.0', path: `/usr/bin/${cell.runtime}`, sha256: 'ab'.repeat(32) }],
    },
    suite: cell.suite, layer: cell.layer, runtime: cell.runtime,
    target: cell.simulated ? { options: {}, simulated: true, simulation: 'kubelet simulated by sim-node' } : { options: {}, simulated: false },
    workload: { name: cell.fixture, kind: 'wasm', path: `/fixtures/${cell.fixture}.wasm`, sha256: 'cd'.repeat(32), sizeBytes: 1234, args: [] },
    parameters: cell.label ? { runtimeLabel: cell.label } : {},
    status: 'not-measured', counts: null, metrics: [], verdicts: [], rawSamples: null,
  };
}

/** A measured cell: each metric analysed from its values (ns unless `units` says otherwise); `failed` failed samples added. */
export function measured(cell: CellSpec, values: Record<string, number[]>, units: Record<string, Unit> = {}, failed = 0): Observation {
  const specs: MetricSpec[] = Object.keys(values).map((name) => ({ name, unit: units[name] ?? 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: name }));
  const n = Math.max(...Object.values(values).map((v) => v.length));
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) samples.push({ index: i, warmup: false, ok: true, values: Object.fromEntries(Object.entries(values).filter(([, v]) => v[i] !== undefined).map(([k, v]) => [k, v[i] as number])) });
  for (let i = 0; i < failed; i++) samples.push({ index: n + i, warmup: false, ok: false, error: 'exit 1', values: {} });
  const a = analyze(specs, samples, { bootstrap: { seed: 1, resamples: 200 } });
  return { result: { ...base(cell), status: a.status, ...(a.reason ? { reason: a.reason } : {}), counts: a.counts, metrics: a.metrics }, values, source: 'raw-samples' };
}

/** A cell not measured, for `reason`. */
export function notMeasured(cell: CellSpec, reason: string): Observation {
  return { result: { ...base(cell), status: 'not-measured', reason }, values: {}, source: 'raw-samples' };
}

/** `n` values spread evenly from `lo` to `hi` with a deterministic wobble (so σ and the CI are not degenerate). */
export function spread(n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * ((i * 37) % n)) / (n - 1));
}
