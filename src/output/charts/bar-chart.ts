/** Horizontal bar charts with CI whiskers, one row per runtime: ratio to native (log axis from 1×), memory per instance (from 0). No I/O. */
import { xmlEscape as esc } from '../junit.js';
import { makeAxis, type AxisUnit } from './axis.js';
import { emptyChart, frame, lines } from './frame.js';
import { textWidth, wrapText } from './text.js';

/** One bar. */
export interface Bar {
  label: string;
  value: number;
  /** The value's confidence interval, drawn as a whisker. */
  low?: number;
  high?: number;
  colour: string;
  runtime?: string;
  /** Tooltip text (the value as read). */
  tip?: string;
}

/** Chart settings. */
export interface BarChartOptions {
  title: string;
  xLabel: string;
  unit: AxisUnit;
  /** Log axis with bars drawn from `base` (1× for ratios); otherwise linear from 0. */
  log?: boolean;
  base?: number;
  width?: number;
}

const FONT = 11;
const LINE = 14;
const MAX_LABEL = 220;

/** A bar chart; the axis holds every bar end, whisker end and the base. */
export function barChart(bars: readonly Bar[], o: BarChartOptions): string {
  const kept = bars.filter((b) => Number.isFinite(b.value) && (!o.log || b.value > 0));
  if (kept.length === 0) return emptyChart(o.title, 'no data');
  const base = o.base ?? (o.log ? 1 : 0);
  const all = kept.flatMap((b) => [b.value, b.low ?? b.value, b.high ?? b.value]).filter((v) => Number.isFinite(v) && (!o.log || v > 0));
  const dataX: [number, number] = [Math.min(...all), Math.max(...all)];
  const xAxis = makeAxis(Math.min(base, dataX[0]), Math.max(base, dataX[1]), o.unit, o.log);
  const labelW = Math.min(MAX_LABEL, Math.max(...kept.map((b) => textWidth(b.label, FONT))));
  const wrapped = kept.map((b) => wrapText(b.label, labelW, FONT));
  const rowH = wrapped.map((l) => Math.max(22, l.length * LINE + 8));
  const plotHeight = rowH.reduce((a, b) => a + b, 0) + 8;
  return frame({
    title: o.title, xAxis, xLabel: o.xLabel, categoryWidth: labelW + 8, plotHeight, width: o.width, dataX,
    body: (p) => {
      const out: string[] = [];
      const x0 = p.px(base);
      if (o.log) out.push(`<line x1="${x0.toFixed(1)}" x2="${x0.toFixed(1)}" y1="${p.top}" y2="${p.top + p.height}" stroke="#333" stroke-dasharray="3 3"/>`);
      let y = p.top + 4;
      kept.forEach((b, i) => {
        const h = rowH[i] as number;
        const mid = y + h / 2;
        const ls = wrapped[i] ?? [b.label];
        const rt = b.runtime ? ` data-runtime="${esc(b.runtime)}"` : '';
        out.push(`<text class="category" x="${p.left - 8}" y="${(mid + 4 - ((ls.length - 1) * LINE) / 2).toFixed(1)}" font-size="${FONT}" text-anchor="end">${lines(p.left - 8, ls, LINE)}</text>`);
        const xv = p.px(b.value);
        out.push(`<rect class="mark" x="${Math.min(x0, xv).toFixed(1)}" y="${(mid - 6).toFixed(1)}" width="${Math.max(1, Math.abs(xv - x0)).toFixed(1)}" height="12" fill="${b.colour}"${rt}>${b.tip ? `<title>${esc(b.tip)}</title>` : ''}</rect>`);
        if (b.low !== undefined && b.high !== undefined && Number.isFinite(b.low) && Number.isFinite(b.high) && (!o.log || b.low > 0)) {
          const [l, r] = [p.px(b.low), p.px(b.high)];
          out.push(`<path class="mark whisker" d="M${l.toFixed(1)} ${mid - 5}v10M${l.toFixed(1)} ${mid}H${r.toFixed(1)}M${r.toFixed(1)} ${mid - 5}v10" stroke="#111" stroke-width="1.3" fill="none"/>`);
        }
        y += h;
      });
      return out.join('');
    },
  });
}
