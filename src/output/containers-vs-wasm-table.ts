/** The table `compare containers-vs-wasm` prints: one row per Wasm run × container run (rows from src/compare/containers-vs-wasm.ts). */
import type { Unit } from '../core/histogram.js';
import type { ContainerWasmRow } from '../compare/containers-vs-wasm.js';
import { formatRatio, formatValue, textTable } from './format.js';

/** The rows as a terminal table: medians in `unit`, container/Wasm with its 95% CI, sample counts. */
export function containersVsWasmTable(rows: readonly ContainerWasmRow[], metric: string, unit: Unit): string {
  const table = rows.map((r) => [
    r.fixture,
    `${r.wasmLayer}/${r.wasmRuntime}`,
    `${r.containerLayer}/${r.containerRuntime}`,
    formatValue(r.wasmMedian, unit),
    formatValue(r.containerMedian, unit),
    `${formatRatio(r.estimate.ratio, r.estimate.ci.low, r.estimate.ci.high)}`,
    `${r.nWasm}/${r.nContainer}`,
  ]);
  return textTable(['fixture', 'Wasm run', 'container run', `Wasm p50 ${metric}`, `container p50 ${metric}`, 'container/Wasm [95% CI]', 'n'], table);
}
