/**
 * github-action-benchmark input ("customSmallerIsBetter" / "customBiggerIsBetter" tools): an array of
 * { name, unit, value, range, extra } per metric of each measured result. No I/O.
 */
import type { Observation } from '../result/observation.js';
import { displayRuntime } from '../result/label.js';
import type { Renderer } from './renderer.js';

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

/** Entries for one direction ('smaller' for the customSmallerIsBetter tool, 'bigger' for customBiggerIsBetter); names are unique. */
export function benchmarkEntries(observations: readonly Observation[], direction: 'smaller' | 'bigger' = 'smaller'): BenchmarkEntry[] {
  return benchmarkEntriesOf(observations, direction).entries;
}

/**
 * Entries with unique names: github-action-benchmark keys a series by name, so results of several runs of one cell
 * give one entry, from the run that started last; `replaced` names each older one left out.
 */
function benchmarkEntriesOf(
  observations: readonly Observation[],
  direction: 'smaller' | 'bigger' = 'smaller',
): { entries: BenchmarkEntry[]; replaced: Array<{ name: string; runId: string; keptRunId: string }> } {
  const byName = new Map<string, { entry: BenchmarkEntry; startedAt: string; runId: string }>();
  const replaced: Array<{ name: string; runId: string; keptRunId: string }> = [];
  for (const o of observations) {
    const r = o.result;
    if (r.status !== 'ok') continue;
    for (const m of r.metrics) {
      // Each metric goes to the tool of its declared direction; a `neither` metric (e.g. offered load) to neither.
      const dir = m.better === 'lower' ? 'smaller' : m.better === 'higher' ? 'bigger' : null;
      if (dir !== direction) continue;
      const s = scaled(m.unit);
      const round = (v: number): number => Math.round((v / s.div) * 1e6) / 1e6;
      const entry: BenchmarkEntry = {
        name: `${r.suite} ${r.layer}/${displayRuntime(r)}/${r.workload?.name ?? '-'} ${m.name} p50`,
        unit: s.unit,
        value: round(m.summary.p50),
        range: `95% CI ${round(m.ci.p50.low)}..${round(m.ci.p50.high)}`,
        extra: `n=${m.summary.count} p99=${round(m.summary.p99)} ${s.unit} clock=${m.clock.source} run=${r.runId}`,
      };
      const before = byName.get(entry.name);
      if (before && before.startedAt >= r.startedAt) {
        replaced.push({ name: entry.name, runId: r.runId, keptRunId: before.runId });
        continue;
      }
      if (before) replaced.push({ name: entry.name, runId: before.runId, keptRunId: r.runId });
      byName.set(entry.name, { entry, startedAt: r.startedAt, runId: r.runId });
    }
  }
  return { entries: [...byName.values()].map((v) => v.entry), replaced };
}

/** `benchmark-json`: the entries of one direction; older runs of a cell left out are said through `input.note`. */
export const benchmarkJsonRenderer: Renderer = {
  format: 'benchmark-json',
  render(input) {
    const { entries, replaced } = benchmarkEntriesOf(input.observations, input.options?.direction ?? 'smaller');
    if (replaced.length) {
      const runs = [...new Set(replaced.map((r) => r.runId))];
      input.note?.(
        `benchmark-json: one entry per name, from the latest run of each cell: ${replaced.length} entr${replaced.length === 1 ? 'y' : 'ies'} of earlier run(s) ${runs.join(', ')} left out`,
      );
    }
    return JSON.stringify(entries, null, 2) + '\n';
  },
};
