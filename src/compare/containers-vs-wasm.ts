/** Containers vs Wasm: for each fixture, how many times more a native container takes than Wasm (start time, memory), per layer (ratio of medians, 95% CI), as rows. No I/O. */
import { quantileSorted, sortedCopy } from '../core/quantile.js';
import type { Result } from '../result/types.js';
import { displayRuntime } from '../result/label.js';
import { statisticRatio, type Ratio } from './ratio.js';

/** A result with the measured values of the compared metric. */
export interface ComparedCell {
  result: Result;
  values: number[];
}

/** One comparison line. */
export interface ContainerWasmRow {
  fixture: string;
  /** Layer and runtime of the Wasm run. */
  wasmLayer: string;
  wasmRuntime: string;
  containerLayer: string;
  containerRuntime: string;
  wasmMedian: number;
  containerMedian: number;
  /** container median / Wasm median: > 1 means Wasm takes less (starts faster, uses less memory). */
  estimate: Ratio;
  nWasm: number;
  nContainer: number;
}

/** Median of values, with the same quantile definition as the summaries. */
function median(v: readonly number[]): number {
  return quantileSorted(sortedCopy(v), 0.5);
}

const CONTAINER_LAYERS = new Set(['oci', 'cri', 'kube']);

/** Pairs every Wasm run (any layer) with every native container run of the same fixture: oci ones, and cri/kube ones of the Wasm run's layer. */
export function containersVsWasm(cells: readonly ComparedCell[], seed = 1): ContainerWasmRow[] {
  const ok = cells.filter((c) => c.result.status === 'ok' && c.result.workload && c.values.length > 0);
  // Native runs in a container: oci, cri (pods through CRI) and kube (pods through the API).
  const containers = ok.filter((c) => CONTAINER_LAYERS.has(c.result.layer) && c.result.workload?.kind === 'native');
  const wasm = ok.filter((c) => c.result.workload?.kind === 'wasm');
  const rows: ContainerWasmRow[] = [];
  for (const w of wasm) {
    for (const c of containers) {
      if (c.result.workload?.name !== w.result.workload?.name) continue;
      // Against oci containers from any layer (the seed's comparison); against cri/kube pods only at the same layer.
      if (c.result.layer !== 'oci' && c.result.layer !== w.result.layer) continue;
      // A simulated run (no runtime, no workload) is never paired with a real one.
      if (c.result.target.simulated !== w.result.target.simulated) continue;
      rows.push({
        fixture: w.result.workload?.name ?? '?',
        wasmLayer: w.result.layer,
        wasmRuntime: displayRuntime(w.result),
        containerLayer: c.result.layer,
        containerRuntime: displayRuntime(c.result),
        wasmMedian: median(w.values),
        containerMedian: median(c.values),
        // A sample-level bootstrap (not rounds): the figures it has always printed.
        estimate: statisticRatio({ values: c.values }, { values: w.values }, { mode: 'samples', seed }),
        nWasm: w.values.length,
        nContainer: c.values.length,
      });
    }
  }
  return rows.sort((a, b) => a.fixture.localeCompare(b.fixture) || a.wasmLayer.localeCompare(b.wasmLayer) || a.wasmRuntime.localeCompare(b.wasmRuntime) || a.containerLayer.localeCompare(b.containerLayer) || a.containerRuntime.localeCompare(b.containerRuntime));
}

/** Layers for which no Wasm run exists, with the reasons recorded by not-measured Wasm results. */
export function missingWasmLayers(results: readonly Result[], layers: readonly string[]): { layer: string; reasons: string[] }[] {
  const out: { layer: string; reasons: string[] }[] = [];
  for (const layer of layers) {
    const at = results.filter((r) => r.layer === layer);
    if (at.some((r) => r.status === 'ok' && r.workload?.kind === 'wasm')) continue;
    const reasons = at.filter((r) => r.status === 'not-measured' && /wasm/i.test(`${r.runtime} ${r.reason ?? ''}`)).map((r) => `${r.runtime}: ${r.reason}`);
    out.push({ layer, reasons });
  }
  return out;
}
