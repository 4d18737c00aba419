/** Realistic report input built in memory: several runtimes (long labels too), not-measured cells with long reasons, density and memory results, a baseline comparison. */
import { judgeClaims } from '../../src/claims/engine.js';
import { loadClaims, SEED_CLAIMS_PATH } from '../../src/claims/load.js';
import { comparePair } from '../../src/compare/compare.js';
import { analyze } from '../../src/core/analyze.js';
import type { MetricSpec, Sample } from '../../src/core/metric.js';
import { seededRng } from '../../src/core/rng.js';
import type { ReportInput } from '../../src/output/report-input.js';
import type { Observation } from '../../src/result/observation.js';
import type { Layer, Result } from '../../src/result/types.js';

const WALL: MetricSpec = { name: 'wall', unit: 'ns', better: 'lower', clock: { source: 'launcher-monotonic', resolution: 1 }, description: 'spawn to exit' };
const RSS: MetricSpec = { name: 'peak_rss', unit: 'bytes', better: 'lower', clock: { source: 'kernel-rusage', resolution: 1024 }, description: 'peak RSS' };
const START: MetricSpec = { name: 'start', unit: 'ns', better: 'lower', clock: { source: 'client-monotonic', resolution: 1 }, description: 'start' };
const MIB = 1024 ** 2;

/** A cell to build: runtime label, layer, fixture, and its median wall time and peak RSS. */
interface CellSpec {
  runtime: string;
  label?: string;
  layer: Layer;
  fixture: string;
  wallNs: number;
  rssBytes: number;
}

/** Log-normal-ish values around a median (seeded). */
function values(median: number, n: number, seed: number, spread = 0.15, spikes = true): number[] {
  const rng = seededRng(seed);
  return Array.from({ length: n }, () => median * Math.exp(spread * (rng() + rng() + rng() - 1.5) * 2) * (spikes && rng() < 0.03 ? 2.5 : 1));
}

/** The frame of a result, without measurements. */
function base(suite: string, layer: Layer, runtime: string, fixture: string, runId: string, label?: string): Result {
  return {
    schema: 'edgebench/result', schemaVersion: 2, runId, startedAt: '2026-12-02T05:00:00Z', endedAt: '2026-12-02T05:10:00Z',
    harness: { name: 'edgebench', version: '0.1.0', gitCommit: '7c680d1aaaaaaaaaaaaa' },
    environment: { host: { cpuModel: 'AMD EPYC', cores: 2, kernel: 'Linux 6.18', memoryBytes: 25275990016, os: 'Debian GNU/Linux 12 (bookworm)', arch: 'x64', nodeVersion: 'v20.20.2', hostname: 'vm' }, tools: [] },
    suite, layer, runtime, target: { options: {}, simulated: false },
    workload: { name: fixture, kind: runtime === 'native' || runtime === 'runc' ? 'native' : 'wasm', path: `/f/${fixture}`, sha256: `${runtime === 'native' || runtime === 'runc' ? 'a' : 'b'}${fixture}`.padEnd(64, '0'), sizeBytes: 1000, args: [] },
    parameters: { samples: 200, warmup: 20, seed: 1, ...(label ? { runtimeLabel: label } : {}) },
    status: 'ok', counts: null, metrics: [], verdicts: [], rawSamples: null,
  };
}

/** An observation analysed from generated samples. */
function measured(r: Result, specs: MetricSpec[], vals: Record<string, number[]>): Observation {
  const n = Math.max(...Object.values(vals).map((v) => v.length));
  const samples: Sample[] = Array.from({ length: n }, (_, i) => ({ index: i, warmup: false, ok: true, values: Object.fromEntries(Object.entries(vals).flatMap(([k, v]) => (v[i] === undefined ? [] : [[k, v[i] as number]]))) }));
  const a = analyze(specs, samples, { bootstrap: { seed: 1, resamples: 200 } });
  const timeline = Object.fromEntries(Object.entries(vals).map(([k, v]) => [k, v.map((x, i): [number, number] => [i * 25_000_000, x])]));
  return { result: { ...r, status: a.status, counts: a.counts, metrics: a.metrics }, values: vals, timeline, source: 'raw-samples' };
}

/** A cold-start cell. */
function coldStart(c: CellSpec, seed: number, runId: string): Observation {
  return measured(base('cold-start', c.layer, c.runtime, c.fixture, runId, c.label), [WALL, RSS], { wall: values(c.wallNs, 200, seed), peak_rss: values(c.rssBytes, 200, seed + 1, 0.005, false) });
}

/** A not-measured cell with the reason the target gives. */
function notMeasured(runtime: string, fixture: string, reason: string, runId: string): Observation {
  return { result: { ...base('cold-start', 'process', runtime, fixture, runId), status: 'not-measured', reason }, values: {}, source: 'raw-samples' };
}

/** A density result with a per-step series. */
function density(runtime: string, layer: Layer, perInstance: number, runId: string): Observation {
  const steps = [250, 500, 750, 1000, 1250, 1500].map((n, i) => ({
    instances: n, elapsedS: 10 * (i + 1), startP50Ns: (runtime === 'runc' ? 30e6 : 22e6) + i * 2e6, startP90Ns: (runtime === 'runc' ? 52e6 : 41e6) + i * 5e6, cgroupBytes: n * perInstance, pssBytes: n * perInstance * 1.3,
    perInstance: { cgroupBytes: perInstance * (1 + i * 0.01), pssBytes: perInstance * 1.3 * (1 + i * 0.012) },
  }));
  const o = measured(base('density', layer, runtime, 'serve', runId), [START], { start: values(runtime === 'runc' ? 48e6 : 36e6, 20, perInstance) });
  return { ...o, timeline: {}, result: { ...o.result, series: { steps } } };
}

/** A plan label longer than any chart's label column (wrapped, never cut). */
export const LONG_LABEL = 'wasmtime@36.0.2/cranelift-opt-level-speed+pooling-allocator+wasi-preview1-adapter';

const CELLS: CellSpec[] = ['noop', 'hello'].flatMap((fixture, f) => [
  { runtime: 'native', layer: 'process', fixture, wallNs: 565e3 + f * 60e3, rssBytes: 1.5 * MIB },
  { runtime: 'node-wasi', layer: 'process', fixture, wallNs: 42e6 + f * 3e6, rssBytes: 19.1 * MIB },
  { runtime: 'node-wasi-inproc', layer: 'embedded', fixture, wallNs: 310e3 + f * 40e3, rssBytes: 0.25 * MIB },
  { runtime: 'wasmedge', label: 'wasmedge@0.15.1/llvm', layer: 'process', fixture, wallNs: 8.2e6 + f * 0.5e6, rssBytes: 9.6 * MIB },
  { runtime: 'wasmtime', layer: 'process', fixture, wallNs: 5.1e6 + f * 0.4e6, rssBytes: 12.4 * MIB },
  { runtime: 'iwasm', layer: 'process', fixture, wallNs: 1.9e6 + f * 0.2e6, rssBytes: 2.2 * MIB },
  { runtime: 'wasmtime', label: LONG_LABEL, layer: 'process', fixture, wallNs: 4.4e6 + f * 0.3e6, rssBytes: 14.8 * MIB },
] satisfies CellSpec[]);

export const WASMER_REASON = 'wasmer not found on PATH; to measure it: install Wasmer (https://docs.wasmer.io/install) and put `wasmer` on PATH';
export const AOT_REASON = 'wasmedge-aot not found on PATH; to measure it: build WasmEdge with LLVM (scripts/build-runtimes.sh wasmedge) and put `wasmedge` on PATH';

/** Observations of one run. */
export function runObservations(runId: string, seed: number): Observation[] {
  return [
    ...CELLS.map((c, i) => coldStart(c, seed + i * 7, runId)),
    ...['noop', 'hello'].flatMap((f) => [notMeasured('wasmer', f, WASMER_REASON, runId), notMeasured('wasmedge-aot', f, AOT_REASON, runId)]),
    density('crun-wasm', 'oci', 1.17 * MIB, runId),
    density('runc', 'oci', 3.4 * MIB, runId),
  ];
}

/** A report input like a nightly run's, compared with an earlier run. */
export function realisticInput(): ReportInput {
  const observations = runObservations('run-b', 100);
  const bases = runObservations('run-a', 500);
  const comparisons = observations.map((o, i) => comparePair(bases[i] as Observation, o, { resamples: 200 }));
  return {
    title: 'edgebench nightly', generatedAt: '2026-12-02T06:00:00Z', observations, comparisons, compareStatistic: 'p50', baseline: 'run-a',
    verdicts: judgeClaims(loadClaims(SEED_CLAIMS_PATH()).claims, observations),
  };
}
