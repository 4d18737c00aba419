/**
 * One observation per cell of a run. The same result reached twice (a folder and a file in it, a run copied into two
 * folders) would give duplicate series and names in every published format; later copies are dropped, and said. No I/O.
 */
import type { Observation } from '../result/observation.js';
import { displayRuntime } from '../result/label.js';

/** What makes a cell of a run: what published series and names are keyed by. */
function cellKey(o: Observation): string {
  const r = o.result;
  return `${r.runId}|${r.suite}|${r.layer}|${displayRuntime(r)}|${r.workload?.name ?? '-'}`;
}

/** The observations with each run's cell once (the first kept), and a line per copy dropped. */
export function uniqueCells(observations: readonly Observation[]): { kept: Observation[]; dropped: string[] } {
  const first = new Map<string, Observation>();
  const dropped: string[] = [];
  for (const o of observations) {
    const k = cellKey(o);
    const f = first.get(k);
    if (f) dropped.push(o.path && o.path === f.path ? `${o.path}: given twice; published once` : `${o.path ?? k}: the same cell of run ${o.result.runId} as ${f.path ?? k}; left out`);
    else first.set(k, o);
  }
  return { kept: [...first.values()], dropped };
}
