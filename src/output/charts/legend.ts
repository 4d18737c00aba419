/** Chart legends laid out below the plot, in as many columns as fit, labels wrapped rather than cut. No I/O. */
import { xmlEscape as esc } from '../junit.js';
import { textWidth, wrapText } from './text.js';

/** One legend entry. */
export interface LegendEntry {
  label: string;
  colour: string;
  /** Stroke dash pattern of the series' line ('' for solid). */
  dash?: string;
  /** Runtime the colour stands for (written as data-runtime, for checks). */
  runtime?: string;
}

const FONT = 11;
const LINE = 15;
const SWATCH = 22;
const GAP = 14;

/** Legend SVG at (x, y) within `width`, and its height. */
export function legend(entries: readonly LegendEntry[], x: number, y: number, width: number): { svg: string; height: number } {
  if (entries.length === 0) return { svg: '', height: 0 };
  const widest = Math.max(...entries.map((e) => textWidth(e.label, FONT)));
  // Columns as wide as the widest label, but at least two columns for more than three entries: a longer label wraps.
  const colW = Math.min(SWATCH + widest + GAP, entries.length > 3 ? (width + GAP) / 2 : Infinity);
  const cols = Math.max(1, Math.min(entries.length, Math.floor((width + GAP) / colW)));
  const labelW = cols === 1 ? width - SWATCH : colW - SWATCH - GAP;
  const wrapped = entries.map((e) => wrapText(e.label, labelW, FONT));
  const rows = Math.ceil(entries.length / cols);
  const parts: string[] = [`<g class="legend">`];
  let top = y;
  for (let r = 0; r < rows; r++) {
    let lines = 1;
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const e = entries[i];
      if (!e) break;
      const lx = x + c * colW;
      const ly = top + 10;
      const rt = e.runtime ? ` data-runtime="${esc(e.runtime)}"` : '';
      parts.push(`<line class="swatch" x1="${lx}" x2="${lx + 16}" y1="${ly - 4}" y2="${ly - 4}" stroke="${e.colour}" stroke-width="3"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}${rt}/>`);
      const ls = wrapped[i] ?? [e.label];
      lines = Math.max(lines, ls.length);
      parts.push(`<text x="${lx + SWATCH}" y="${ly}" font-size="${FONT}">${ls.map((l, k) => `<tspan x="${lx + SWATCH}" dy="${k === 0 ? 0 : LINE}">${esc(l)}</tspan>`).join('')}</text>`);
    }
    top += lines * LINE + 3;
  }
  parts.push('</g>');
  return { svg: parts.join(''), height: top - y };
}
