/** The figure cells of one PR-table row (n, unit, min, mean ± σ, p50 [95 % CI], p95, p99, max), in one scale. No I/O. */
import type { MetricResult } from '../core/analyze.js';
import type { Observation } from '../result/observation.js';
import { mdText } from './pr-md.js';
import { rowScale } from './pr-scale.js';
import { rowStats } from './pr-stats.js';

/** Headers of the figure cells, as Markdown. */
export const FIGURE_HEADERS = ['n', 'unit', 'min', 'mean ± σ', mdText('p50 [95 % CI]'), 'p95', 'p99', 'max'];

/** What a figure cell holds when there is no figure. */
export const NO_FIGURE = '—';

/** Figure cells of metric `m` of the observation's result (p95 marked ≈ when read from histogram buckets). */
export function figureCells(o: Observation, m: MetricResult): string[] {
  const s = rowStats(o, m);
  const { unit, fmt } = rowScale(m.unit, s.p50);
  const p95 = s.p95 === null ? NO_FIGURE : `${s.p95Exact ? '' : '≈'}${fmt(s.p95)}`;
  return [String(s.n), unit, fmt(s.min), `${fmt(s.mean)} ± ${fmt(s.stddev)}`, mdText(`${fmt(s.p50)} [${fmt(s.p50Ci.low)}–${fmt(s.p50Ci.high)}]`), p95, fmt(s.p99), fmt(s.max)];
}

/** Figure cells of a row without figures (not measured, invalid, or no metric). */
export function emptyFigureCells(n = NO_FIGURE): string[] {
  return [n, ...FIGURE_HEADERS.slice(1).map(() => NO_FIGURE)];
}
