/** The memory suite's kube path: its settings and the translation of a cell's parameters into one pod-memory run. */
import type { KubeCell } from '../../src/kube/cell.js';
import { tableInt, type IntTable } from '../../src/run/settings.js';
import type { MeasureContext, MeasureOutcome } from '../../src/run/suite.js';
import { measurePodMemory } from './pod-memory.js';

/** Settings of the kube path (pods are --samples + --warmup). */
export const KUBE: IntTable = {
  'control-plane-samples': [10, 1, 10_000],
  'interval-ms': [1000, 100, 600_000],
  'timeout-ms': [120_000, 1000, 3_600_000],
};

/** The kube path: pods together, then the control plane (see PodMemoryRequest). */
export async function podMemory(ctx: MeasureContext, kube: KubeCell): Promise<MeasureOutcome> {
  const notes: string[] = [];
  const out = await measurePodMemory(kube, {
    workload: ctx.workload,
    pods: ctx.params.samples + ctx.params.warmup,
    warmup: ctx.params.warmup,
    controlPlaneSamples: tableInt(ctx.params.extra, KUBE, 'control-plane-samples'),
    intervalMs: tableInt(ctx.params.extra, KUBE, 'interval-ms'),
    timeoutMs: tableInt(ctx.params.extra, KUBE, 'timeout-ms'),
    onSample: (s) => ctx.record(s),
    onNote: (l) => notes.push(l),
    signal: ctx.signal,
  });
  if (out.notMeasured) return { metrics: [], notes, notMeasured: out.notMeasured };
  return { metrics: out.metrics, series: out.series, notes };
}
