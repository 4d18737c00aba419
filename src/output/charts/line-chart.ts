/** Line (or dot) charts on round axes that contain every point: CDFs, histograms, density curves, timelines, trends. No I/O. */
import { xmlEscape as esc } from '../junit.js';
import { makeAxis, type AxisUnit } from './axis.js';
import { emptyChart, frame } from './frame.js';
import { textWidth } from './text.js';

/** A named series of [x, y] points drawn in a runtime's colour. */
export interface LineSeries {
  label: string;
  colour: string;
  points: ReadonlyArray<readonly [number, number]>;
  dash?: string;
  /** Draw points as dots instead of a line. */
  dots?: boolean;
  /** Runtime the colour stands for. */
  runtime?: string;
}

/** Chart settings. */
export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  xUnit: AxisUnit;
  yUnit: AxisUnit;
  xLog?: boolean;
  /** Vertical markers (e.g. change points) at these x values, with labels. */
  markers?: ReadonlyArray<{ x: number; label: string }>;
  width?: number;
  plotHeight?: number;
}

/** The extent of numbers. */
function extent(v: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/** A line chart; the y axis starts at zero (or below, for negative data). */
export function lineChart(series: readonly LineSeries[], o: LineChartOptions): string {
  const usable = (p: readonly [number, number]): boolean => Number.isFinite(p[0]) && Number.isFinite(p[1]) && (!o.xLog || p[0] > 0);
  const kept = series.map((s) => ({ ...s, points: s.points.filter(usable) })).filter((s) => s.points.length > 0);
  if (kept.length === 0) return emptyChart(o.title, 'no data points');
  const dataX = extent(kept.flatMap((s) => s.points.map((p) => p[0])));
  const dataY = extent(kept.flatMap((s) => s.points.map((p) => p[1])));
  const xAxis = makeAxis(dataX[0], dataX[1], o.xUnit, o.xLog);
  const yAxis = makeAxis(Math.min(0, dataY[0]), dataY[1], o.yUnit);
  return frame({
    title: o.title, xAxis, xLabel: o.xLabel, yAxis, yLabel: o.yLabel, plotHeight: o.plotHeight ?? 220, width: o.width, dataX, dataY,
    legend: kept.map((s) => ({ label: s.label, colour: s.colour, dash: s.dash, runtime: s.runtime })),
    body: (p) => {
      const out: string[] = [];
      const xy = (q: readonly [number, number]): string => `${p.px(q[0]).toFixed(1)},${p.py(q[1]).toFixed(1)}`;
      for (const s of kept) {
        const rt = s.runtime ? ` data-runtime="${esc(s.runtime)}"` : '';
        if (s.dots) out.push(`<g class="mark" fill="${s.colour}"${rt}>${s.points.map((q) => `<circle cx="${p.px(q[0]).toFixed(1)}" cy="${p.py(q[1]).toFixed(1)}" r="2"/>`).join('')}</g>`);
        else out.push(`<polyline class="mark" fill="none" stroke="${s.colour}" stroke-width="1.8"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}${rt} points="${s.points.map(xy).join(' ')}"/>`);
      }
      for (const m of o.markers ?? []) {
        if (m.x < xAxis.min || m.x > xAxis.max) continue;
        const x = p.px(m.x);
        // The label goes right of the line, or left of it where it would leave the plot.
        const after = x + 3 + textWidth(m.label, 11) <= p.left + p.width;
        out.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${p.top}" y2="${p.top + p.height}" stroke="#d62728" stroke-dasharray="4 3"/><text x="${(after ? x + 3 : x - 3).toFixed(1)}" y="${p.top + 12}" font-size="11" fill="#d62728" text-anchor="${after ? 'start' : 'end'}">${esc(m.label)}</text>`);
      }
      return out.join('');
    },
  });
}
