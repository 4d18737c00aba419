/**
 * github-action-benchmark input ("customSmallerIsBetter" / "customBiggerIsBetter" tools): an array of
 * { name, unit, value, range, extra } per metric of each measured result. No I/O.
 */
import type { Observation } from '../result/observation.js';
import { displayRuntime } from '../result/label.js';

/** One github-action-benchmark entry. */
export interface BenchmarkEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

/** Value scale per unit: durations in ms, bytes in MiB, others as stored. */
function scaled(unit: string): { unit: string; div: number } {
  if (unit === 'ns') return { unit: 'ms', div: 1e6 };
  if (unit === 'bytes') return { unit: 'MiB', div: 1024 ** 2 };
  return { unit, div: 1 };
}

/** Entries for one direction ('smaller' for the customSmallerIsBetter tool, 'bigger' for customBiggerIsBetter). */
export function benchmarkEntries(observations: readonly Observation[], direction: 'smaller' | 'bigger' = 'smaller'): BenchmarkEntry[] {
  const out: BenchmarkEntry[] = [];
  for (const o of observations) {
    const r = o.result;
    if (r.status !== 'ok') continue;
    for (const m of r.metrics) {
      // Each metric goes to the tool of its declared direction; a `neither` metric (e.g. offered load) to neither.
      const dir = m.better === 'lower' ? 'smaller' : m.better === 'higher' ? 'bigger' : null;
      if (dir !== direction) continue;
      const s = scaled(m.unit);
      const round = (v: number): number => Math.round((v / s.div) * 1e6) / 1e6;
      out.push({
        name: `${r.suite} ${r.layer}/${displayRuntime(r)}/${r.workload?.name ?? '-'} ${m.name} p50`,
        unit: s.unit,
        value: round(m.summary.p50),
        range: `95% CI ${round(m.ci.p50.low)}..${round(m.ci.p50.high)}`,
        extra: `n=${m.summary.count} p99=${round(m.summary.p99)} ${s.unit} clock=${m.clock.source} run=${r.runId}`,
      });
    }
  }
  return out;
}
