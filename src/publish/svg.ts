/** Inline SVG charts for the HTML report: line charts (CDFs, timelines, trends) and histograms. No I/O, no scripts. */
import { xmlEscape } from './junit.js';

/** A named series of [x, y] points. */
export interface ChartSeries {
  name: string;
  points: Array<[number, number]>;
  /** Draw points as dots instead of a line. */
  dots?: boolean;
}

/** Chart settings. */
export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  formatX?: (v: number) => string;
  formatY?: (v: number) => string;
  /** Vertical markers (e.g. change points) at these x values, with labels. */
  markers?: Array<{ x: number; label: string }>;
  width?: number;
  height?: number;
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

const fmt = (v: number): string => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : String(Math.round(v * 100) / 100));

/** Nice tick values between lo and hi (linear), or powers of ten (log). */
function ticks(lo: number, hi: number, log: boolean): number[] {
  if (log) {
    const decades: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) decades.push(10 ** e);
    const inside = (t: number): boolean => t >= lo / 1.0001 && t <= hi * 1.0001;
    const out = decades.filter(inside);
    // Less than three decades shown: add the 2× and 5× ticks too.
    return out.length >= 3 ? out : decades.flatMap((d) => [d, 2 * d, 5 * d]).filter(inside);
  }
  const span = hi - lo || 1;
  const step0 = 10 ** Math.floor(Math.log10(span / 5));
  const step = [1, 2, 5, 10].map((m) => m * step0).find((s) => span / s <= 6) ?? step0 * 10;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * span; t += step) out.push(Math.round(t / step) * step);
  return out;
}

/** A placeholder box saying why a chart is empty. */
export function emptyChart(title: string, why: string, width = 640, height = 120): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${xmlEscape(title)}"><rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" fill="#fafafa" stroke="#ccc"/><text x="12" y="24" font-size="14" font-weight="bold">${xmlEscape(title)}</text><text x="12" y="56" font-size="13" fill="#555">${xmlEscape(why)}</text></svg>`;
}

/** A line (or dot) chart with axes, ticks, legend and optional markers. */
export function lineChart(series: readonly ChartSeries[], o: ChartOptions): string {
  const W = o.width ?? 640;
  const H = o.height ?? 340;
  const pts = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!o.xLog || x > 0) && (!o.yLog || y > 0));
  if (pts.length === 0) return emptyChart(o.title, 'no data', W);
  const L = 70;
  const R = 160;
  const T = 30;
  const B = 50;
  let [x0, x1] = [Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[1]))];
  if (!o.yLog) y0 = Math.min(0, y0);
  if (x0 === x1) [x0, x1] = o.xLog ? [x0 / 2, x1 * 2] : [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = o.yLog ? [y0 / 2, y1 * 2] : [y0 - 1, y1 + 1];
  const tx = (v: number): number => (o.xLog ? (Math.log10(v) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0)) : (v - x0) / (x1 - x0));
  const ty = (v: number): number => (o.yLog ? (Math.log10(v) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0)) : (v - y0) / (y1 - y0));
  const px = (v: number): number => L + tx(v) * (W - L - R);
  const py = (v: number): number => H - B - ty(v) * (H - T - B);
  const fx = o.formatX ?? fmt;
  const fy = o.formatY ?? fmt;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${xmlEscape(o.title)}" font-family="sans-serif">`, `<rect width="${W}" height="${H}" fill="#fff"/>`, `<text x="${L}" y="18" font-size="14" font-weight="bold">${xmlEscape(o.title)}</text>`];
  for (const t of ticks(x0, x1, !!o.xLog)) parts.push(`<line x1="${px(t).toFixed(1)}" x2="${px(t).toFixed(1)}" y1="${T}" y2="${H - B}" stroke="#eee"/><text x="${px(t).toFixed(1)}" y="${H - B + 16}" font-size="11" text-anchor="middle">${xmlEscape(fx(t))}</text>`);
  for (const t of ticks(y0, y1, !!o.yLog)) parts.push(`<line x1="${L}" x2="${W - R}" y1="${py(t).toFixed(1)}" y2="${py(t).toFixed(1)}" stroke="#eee"/><text x="${L - 6}" y="${(py(t) + 4).toFixed(1)}" font-size="11" text-anchor="end">${xmlEscape(fy(t))}</text>`);
  parts.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#999"/>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" font-size="12" text-anchor="middle">${xmlEscape(o.xLabel)}</text>`);
  parts.push(`<text x="14" y="${(T + H - B) / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${(T + H - B) / 2})">${xmlEscape(o.yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length] as string;
    const ok = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!o.xLog || x > 0) && (!o.yLog || y > 0));
    if (s.dots) for (const [x, y] of ok) parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2" fill="${color}"/>`);
    else if (ok.length) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${ok.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`);
    parts.push(`<rect x="${W - R + 10}" y="${T + i * 18}" width="12" height="12" fill="${color}"/><text x="${W - R + 27}" y="${T + i * 18 + 10}" font-size="11">${xmlEscape(s.name.length > 22 ? s.name.slice(0, 21) + '…' : s.name)}</text>`);
  });
  for (const m of o.markers ?? []) {
    if (m.x < x0 || m.x > x1) continue;
    parts.push(`<line x1="${px(m.x).toFixed(1)}" x2="${px(m.x).toFixed(1)}" y1="${T}" y2="${H - B}" stroke="#d62728" stroke-dasharray="4 3"/><text x="${(px(m.x) + 3).toFixed(1)}" y="${T + 12}" font-size="11" fill="#d62728">${xmlEscape(m.label)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

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
