/** The frame every chart is drawn in: wrapped title, plot box, gridlines, tick labels, axis labels, legend; sized to hold them all. No I/O. */
import { xmlEscape as esc } from '../junit.js';
import type { Axis } from './axis.js';
import { legend, type LegendEntry } from './legend.js';
import { textWidth, wrapText } from './text.js';

/** The plot box and the value → pixel maps handed to a chart's body. */
export interface Plot {
  left: number;
  top: number;
  width: number;
  height: number;
  px(v: number): number;
  /** Pixel row of a y value (only with a y axis). */
  py(v: number): number;
}

/** What a chart puts in its frame. */
export interface FrameSpec {
  title: string;
  xAxis: Axis;
  xLabel: string;
  /** Absent for category (bar) charts, whose body draws the row labels left of the plot. */
  yAxis?: Axis;
  yLabel?: string;
  /** Width left of the plot for category labels. */
  categoryWidth?: number;
  plotHeight: number;
  width?: number;
  legend?: readonly LegendEntry[];
  /** The data's extent, written on the chart (data-x-data, data-y-data) for checks. */
  dataX: [number, number];
  dataY?: [number, number];
  body(p: Plot): string;
}

const PAD = 8;
const TICK_FONT = 11;
const LABEL_FONT = 12;
const TITLE_FONT = 14;

/** Multi-line text: one tspan per line. */
export function lines(x: number, ls: readonly string[], step: number): string {
  return ls.map((l, i) => `<tspan x="${x}" dy="${i === 0 ? 0 : step}">${esc(l)}</tspan>`).join('');
}

/** Numbers as a data attribute. */
const nums = (v: readonly number[]): string => v.map((n) => String(n)).join(',');

/** The whole chart as an SVG element of class "chart". */
export function frame(s: FrameSpec): string {
  const W = s.width ?? 640;
  const titleLines = wrapText(s.title, W - 2 * PAD, TITLE_FONT * 1.1);
  const top = PAD + titleLines.length * 18 + 8;
  const yTickW = s.yAxis ? Math.max(...s.yAxis.ticks.map((t) => textWidth((s.yAxis as Axis).label(t), TICK_FONT))) + 8 : 0;
  const yLabelLines = s.yLabel ? wrapText(s.yLabel, s.plotHeight, LABEL_FONT) : [];
  const left = Math.ceil(PAD + yLabelLines.length * 15 + 4 + yTickW + (s.categoryWidth ?? 0));
  const xt = s.xAxis.ticks;
  const right = Math.ceil(Math.max(PAD + 4, textWidth(s.xAxis.label(xt[xt.length - 1] as number), TICK_FONT) / 2 + PAD));
  const plotW = W - left - right;
  const bottom = top + s.plotHeight;
  const px = (v: number): number => left + s.xAxis.pos(v) * plotW;
  const py = (v: number): number => bottom - (s.yAxis ? s.yAxis.pos(v) : 0) * s.plotHeight;
  const f = (n: number): string => n.toFixed(1);
  const body: string[] = [];
  for (const t of xt) body.push(`<line x1="${f(px(t))}" x2="${f(px(t))}" y1="${top}" y2="${bottom}" stroke="#e6e6e6"/><text class="tick" x="${f(px(t))}" y="${bottom + 18}" font-size="${TICK_FONT}" text-anchor="middle">${esc(s.xAxis.label(t))}</text>`);
  for (const t of s.yAxis?.ticks ?? []) body.push(`<line x1="${left}" x2="${left + plotW}" y1="${f(py(t))}" y2="${f(py(t))}" stroke="#e6e6e6"/><text class="tick" x="${left - 6}" y="${f(py(t) + 4)}" font-size="${TICK_FONT}" text-anchor="end">${esc((s.yAxis as Axis).label(t))}</text>`);
  body.push(s.body({ left, top, width: plotW, height: s.plotHeight, px, py }));
  body.push(`<rect class="plot" x="${left}" y="${top}" width="${plotW}" height="${s.plotHeight}" fill="none" stroke="#999"/>`);
  const xLabelLines = wrapText(s.xLabel, W - 2 * PAD, LABEL_FONT);
  const xLabelY = bottom + 36;
  body.push(`<text x="${left + plotW / 2}" y="${xLabelY}" font-size="${LABEL_FONT}" text-anchor="middle">${lines(left + plotW / 2, xLabelLines, 14)}</text>`);
  if (yLabelLines.length) {
    const mid = top + s.plotHeight / 2;
    body.push(`<text x="${PAD + 11}" y="${mid}" font-size="${LABEL_FONT}" text-anchor="middle" transform="rotate(-90 ${PAD + 11} ${mid})">${lines(PAD + 11, yLabelLines, 15)}</text>`);
  }
  const legendY = xLabelY + (xLabelLines.length - 1) * 14 + 12;
  const leg = legend(s.legend ?? [], PAD, legendY, W - 2 * PAD);
  const H = Math.ceil(legendY + leg.height + PAD);
  const data = `data-x-unit="${s.xAxis.unit}" data-x-log="${s.xAxis.log}" data-x-ticks="${nums(xt)}" data-x-data="${nums(s.dataX)}"` +
    (s.yAxis ? ` data-y-unit="${s.yAxis.unit}" data-y-log="${s.yAxis.log}" data-y-ticks="${nums(s.yAxis.ticks)}" data-y-data="${nums(s.dataY ?? [])}"` : '');
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(s.title)}" font-family="sans-serif" ${data}>` +
    `<rect width="${W}" height="${H}" fill="#fff"/><text x="${PAD}" y="${PAD + 14}" font-size="${TITLE_FONT}" font-weight="bold">${lines(PAD, titleLines, 18)}</text>${body.join('')}${leg.svg}</svg>`;
}

/** A placeholder chart box saying why there is nothing to draw. */
export function emptyChart(title: string, why: string, width = 640): string {
  const t = wrapText(title, width - 2 * PAD, TITLE_FONT * 1.1);
  const w = wrapText(why, width - 2 * PAD, 13);
  const H = PAD + t.length * 18 + 14 + w.length * 17 + PAD;
  return `<svg class="chart empty" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H}" viewBox="0 0 ${width} ${H}" role="img" aria-label="${esc(title)}" font-family="sans-serif"><rect x="0.5" y="0.5" width="${width - 1}" height="${H - 1}" fill="#fafafa" stroke="#ccc"/><text x="${PAD}" y="${PAD + 14}" font-size="${TITLE_FONT}" font-weight="bold">${lines(PAD, t, 18)}</text><text x="${PAD}" y="${PAD + t.length * 18 + 18}" font-size="13" fill="#555">${lines(PAD, w, 17)}</text></svg>`;
}
