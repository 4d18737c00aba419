/** A nightly-sized run built in memory: 5 layers × 8 runtimes × 3 fixtures of cold start, most not measured, plus the kube suites. */
import { judgeClaims } from '../../src/claims/engine.js';
import { loadClaims, SEED_CLAIMS_PATH } from '../../src/claims/load.js';
import { comparePair } from '../../src/compare/compare.js';
import type { ReportInput } from '../../src/output/report-input.js';
import type { Observation } from '../../src/result/observation.js';
import { LAYERS, type Layer } from '../../src/result/types.js';
import { measured, notMeasured, spread, type CellSpec } from './pr-results.js';

export const RUNTIMES = ['native', 'node-wasi', 'node-wasi-inproc', 'wasmedge', 'wasmedge-aot', 'wasmtime', 'wasmer', 'iwasm'];
export const FIXTURES = ['noop', 'hello', 'http'];
const KUBECONFIG = 'kubeconfig /var/lib/edgebench/dev-cluster/kubeconfig not found: the local cluster is not up; to measure it: bash scripts/dev-cluster.sh up (K3s with the wasmedge RuntimeClass), then run again';
const ms = (x: number): number => x * 1e6;

/** Where a cold-start cell is measured in this run: the embedded host, four runtimes on PATH, WasmEdge through crun. */
export function isMeasured(layer: Layer, runtime: string): boolean {
  if (layer === 'embedded') return runtime === 'node-wasi-inproc';
  if (layer === 'process') return ['native', 'node-wasi', 'wasmedge', 'wasmtime'].includes(runtime);
  return layer === 'oci' && runtime === 'wasmedge';
}

/** Why a cold-start cell is not measured, worded as the targets word it (often per runtime, so many reasons). */
export function whyNot(layer: Layer, runtime: string): string {
  if (layer === 'embedded') return `${runtime} has no embedded target: only node-wasi-inproc instantiates a module inside the harness process`;
  if (layer === 'process' && runtime === 'node-wasi-inproc') return 'node-wasi-inproc runs at the embedded layer only (no process start to measure)';
  if (layer === 'process') return `${runtime} not found on PATH; to measure it: install ${runtime} (see docs/architecture.md, Runtimes) and put \`${runtime}\` on PATH; or build it here: bash scripts/build-runtimes.sh build`;
  if (layer === 'oci') return `crun here is built without Wasm support for ${runtime} (its --version flags: +SYSTEMD +SELINUX +APPARMOR +CAP +SECCOMP +EBPF +YAJL; no +WASM:<engine>); to measure it: a crun built with WasmEdge (bash scripts/build-runtimes.sh build crun-1.8.1-wasmedge, or ./configure --with-wasmedge)`;
  if (layer === 'cri') return 'no CRI socket at /run/containerd/containerd.sock; to measure it: containerd with the CRI plugin and the runwasi shims (bash scripts/cri-containerd.sh)';
  return KUBECONFIG;
}

/** Cold-start wall values for a measured cell: embedded in hundreds of µs, processes in ms, OCI in tens of ms. */
function coldValues(layer: Layer, i: number): Record<string, number[]> {
  const lo = layer === 'embedded' ? 0.3 : layer === 'oci' ? 40 : 1 + 5 * i;
  const wall = spread(200, ms(lo), ms(lo * 1.6));
  return layer === 'embedded'
    ? { wall, read: spread(200, 20_000, 40_000), compile: spread(200, ms(0.1), ms(0.2)), instantiate: spread(200, 50_000, 90_000), start: spread(200, 30_000, 60_000) }
    : { wall, peak_rss: spread(200, 1.5e6 + i * 4e6, 1.7e6 + i * 4e6), user_cpu: spread(200, ms(lo / 2), ms(lo)), sys_cpu: spread(200, ms(lo / 4), ms(lo / 2)) };
}

/** The cold-start matrix: every layer × runtime × fixture. */
export function coldStart(): Observation[] {
  const out: Observation[] = [];
  for (const layer of LAYERS) {
    RUNTIMES.forEach((runtime, i) => {
      for (const fixture of FIXTURES) {
        const cell: CellSpec = { suite: 'cold-start', layer, runtime, fixture };
        out.push(isMeasured(layer, runtime) ? measured(cell, coldValues(layer, i + FIXTURES.indexOf(fixture)), { peak_rss: 'bytes' }) : notMeasured(cell, whyNot(layer, runtime)));
      }
    });
  }
  return out;
}

/** The kube suites of plans/nightly.yaml, measured on a simulated node (wasmedge and runc; scale-out from 0 and from 1). */
export function kubeSuites(): Observation[] {
  const kube = (suite: string, runtime: string, label?: string): CellSpec => ({ suite, layer: 'kube', runtime, fixture: 'http', simulated: true, ...(label ? { label } : {}) });
  const scale = (from: number, rt: string): Observation => measured(kube('scale-out', rt, `${rt}-from${from}`), {
    pod_scale_to_ready: spread(20, ms(800 + from * 100), ms(1500)), pod_scale_to_scheduled: spread(20, ms(5), ms(30)), pod_scale_to_running: spread(20, ms(600), ms(1200)), first_ready: spread(5, ms(700), ms(900)), all_ready: spread(5, ms(1400), ms(1600)),
  });
  return [
    ...['wasmedge', 'runc'].map((rt) => measured(kube('hot-update', rt), { rollout: spread(10, ms(5000), ms(9000)), error_ratio: spread(10, 0, 0) }, { error_ratio: 'percent' })),
    ...[0, 1].flatMap((from) => ['wasmedge', 'runc'].map((rt) => scale(from, rt))),
    ...['wasmedge', 'runc'].map((rt) => measured(kube('autoscale', rt), { decision_to_ready: spread(4, ms(2000), ms(4000)), decision_to_serving: spread(4, ms(2100), ms(4200)), load_to_decision: spread(4, ms(15_000), ms(30_000)) })),
  ];
}

/** The report input of such a run: seed claims judged, and every cell compared with a baseline run 10 % faster. */
export function nightlyInput(): ReportInput {
  const observations = [...coldStart(), ...kubeSuites()];
  const baseline = observations.map((o): Observation => (o.result.status !== 'ok' ? o : { ...o, result: { ...o.result, runId: 'nightly-0' }, values: Object.fromEntries(Object.entries(o.values).map(([k, v]) => [k, v.map((x) => x * 0.9)])) }));
  return {
    title: 'edgebench nightly (run nightly-1)', generatedAt: '2026-12-01T03:00:00Z', observations,
    verdicts: judgeClaims(loadClaims(SEED_CLAIMS_PATH()).claims, observations),
    comparisons: observations.map((o, i) => comparePair(baseline[i] as Observation, o, { threshold: 0.05, seed: 1, resamples: 200 })),
    baseline: 'nightly-0', compareStatistic: 'p50',
  };
}
