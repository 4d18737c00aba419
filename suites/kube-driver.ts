/** What a kube suite asks of its target: the kube driver (`target.kube`), or why the target has none. */
import type { Sample } from '../src/core/metric.js';
import type { KubeCell } from '../src/kube/cell.js';
import type { Workload } from '../src/result/types.js';
import type { MeasureContext } from '../src/run/suite.js';
import type { Target } from '../src/targets/target.js';

/** A suite's `unsupported`: null when the target has a kube driver, else "… has no WHAT driver (kube layer only)". */
export function needsKube(what: string): (t: Target) => string | null {
  return (t) => (t.kube ? null : `runtime ${t.runtime} at layer ${t.layer} has no ${what} driver (kube layer only)`);
}

/** The kube driver of the cell being measured (a suite checked for it in `unsupported`). */
export function kubeOf(ctx: MeasureContext): KubeCell {
  if (!ctx.target.kube) throw new Error('unsupported: no kube driver');
  return ctx.target.kube;
}

/** What every kube measurement is given: the workload, where its samples and note lines go, and the interrupt. */
export interface KubeRequest {
  workload: Workload;
  onSample: (sample: Sample) => void;
  onNote?: (line: string) => void;
  signal: AbortSignal;
}
