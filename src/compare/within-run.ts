/** Comparisons between cells of one run, within one layer and fixture, as rows (the output room words them). No I/O. */
import { parseRuntimeSpec } from '../env/runtime-builds.js';
import type { Observation } from '../result/observation.js';
import { compareMetric, comparePair, type MetricComparison, type PairVerdict } from './compare.js';

/** A runtime's median wall against the reference runtime's (a ratio with its round-bootstrap CI). */
export interface ReferenceRatioRow {
  kind: 'ratio';
  /** "layer/fixture". */
  cell: string;
  runtime: string;
  reference: string;
  wall: MetricComparison;
}

/** Two builds of one runtime (wasmedge@0.14.1 vs wasmedge@0.15.1): the gate's verdict, base = the first named. */
export interface BuildVerdictRow {
  kind: 'verdict';
  cell: string;
  base: string;
  candidate: string;
  verdict: PairVerdict | undefined;
  wall: MetricComparison | undefined;
}

/** One comparison within a run. */
export type WithinRunRow = ReferenceRatioRow | BuildVerdictRow;

/**
 * Each runtime's median wall against the reference runtime's, and a verdict for two builds of one runtime (their
 * rounds compared paired), per layer and fixture; cells not measured are left out.
 */
export function withinRunComparisons(observations: readonly Observation[], reference = 'native', seed = 1): WithinRunRow[] {
  const rows: WithinRunRow[] = [];
  const byCell = new Map<string, Observation[]>();
  for (const o of observations) {
    const w = o.result.workload?.name;
    if (!w || o.result.status !== 'ok') continue;
    // An in-process instantiation (layer embedded) is not a process start: never a ratio against one.
    const key = `${o.result.layer}/${w}`;
    byCell.set(key, [...(byCell.get(key) ?? []), o]);
  }
  for (const [cell, list] of byCell) {
    const ref = list.find((c) => c.result.runtime === reference);
    if (ref?.values['wall']?.length) {
      for (const c of list) {
        if (c === ref || !c.values['wall']?.length) continue;
        const wall = compareMetric(ref, c, 'wall', { seed });
        if (wall) rows.push({ kind: 'ratio', cell, runtime: c.result.runtime, reference, wall });
      }
    }
    const byBase = new Map<string, Observation[]>();
    for (const c of list) {
      const base = parseRuntimeSpec(c.result.runtime).base;
      byBase.set(base, [...(byBase.get(base) ?? []), c]);
    }
    for (const builds of byBase.values()) {
      for (let i = 1; i < builds.length; i++) {
        const [b, c] = [builds[0] as Observation, builds[i] as Observation];
        const p = comparePair(b, c, { seed });
        rows.push({
          kind: 'verdict',
          cell,
          base: b.result.runtime,
          candidate: c.result.runtime,
          verdict: p.verdict,
          wall: p.metrics.find((m) => m.metric === 'wall'),
        });
      }
    }
  }
  return rows;
}
