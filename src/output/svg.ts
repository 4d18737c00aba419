/** Points for the HTML report's charts (empirical CDF, log-binned histogram); the charts themselves are in ./charts. No I/O. */
export { emptyChart } from './charts/frame.js';
export { lineChart, type LineSeries } from './charts/line-chart.js';
export { barChart, type Bar } from './charts/bar-chart.js';

/** Empirical CDF points of values. */
export function cdfPoints(values: readonly number[]): Array<[number, number]> {
  const s = [...values].sort((a, b) => a - b);
  return s.map((v, i) => [v, (i + 1) / s.length]);
}

/** Log-spaced histogram: [bin centre, fraction of samples]; a shared `range` gives several series the same bins. */
export function logHistogramPoints(values: readonly number[], bins = 30, range?: [number, number]): Array<[number, number]> {
  const pos = values.filter((v) => v > 0);
  if (pos.length === 0) return [];
  const lo = Math.log10(range?.[0] ?? Math.min(...pos));
  const hi = Math.log10(range?.[1] ?? Math.max(...pos));
  const w = (hi - lo || 1) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of pos) {
    const i = Math.min(bins - 1, Math.floor((Math.log10(v) - lo) / w));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts.map((c, i) => [10 ** (lo + (i + 0.5) * w), c / pos.length]);
}
