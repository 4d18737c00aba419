/** Grouping of observations for charts: the headline duration metric and the per-fixture key. No I/O. */
import type { MetricResult } from '../../core/analyze.js';
import { displayRuntime } from '../../result/label.js';
import type { Observation } from '../../result/observation.js';

/** The duration a result is headlined by: wall, else its first metric in ns. */
export function headlineDuration(o: Observation): MetricResult | undefined {
  return o.result.metrics.find((x) => x.name === 'wall') ?? o.result.metrics.find((x) => x.unit === 'ns');
}

/** Runtime label as printed (and coloured). */
export function rt(o: Observation): string {
  return displayRuntime(o.result);
}

/** "suite · fixture". */
export function fixtureKey(o: Observation): string {
  return `${o.result.suite} · ${o.result.workload?.name ?? '-'}`;
}

/** Groups items by key, keeping first-seen order. */
export function groupBy<T>(items: readonly T[], key: (t: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(t);
    else out.set(k, [t]);
  }
  return out;
}
