/** Plain-text tables fitted to the terminal: long cells as footnotes, constant columns hoisted, columns dropped or cut. */
import { terminalWidth } from './terminal.js';
import { Footnotes } from './footnotes.js';
import { wrapText } from './wrap.js';

/** How one column gives way when the table is wider than the terminal (each step only while it still does not fit). */
export interface ColumnLayout {
  /** Cells longer than `minLength` (with `reasonsOnly`: only "status: why" cells) become numbered footnotes: always, or only when the table is too wide. */
  footnote?: { minLength: number; when: 'always' | 'narrow'; reasonsOnly?: boolean };
  /** Shown once above the table (as "name value") when every cell other than "-" is equal. */
  hoist?: boolean;
  /** Left out, lowest first (a column without it stays). */
  drop?: number;
  /** Cut to no less than `min` characters with "…", at the end or at the start. */
  cut?: { min: number; at?: 'start' | 'end' };
}

/** Layout per column name. */
export type TableLayout = Readonly<Record<string, ColumnLayout>>;

/** Options of textTable. */
export interface TableOptions {
  /** Maximum line length; default terminalWidth() (Infinity when piped or with --wide). */
  width?: number;
  /** Default: the layout registered for `header` by withLayout, else long "status: why" cells as footnotes and every column cuttable. */
  layout?: TableLayout;
}

const SEP = '  ';
const LAYOUTS = new WeakMap<readonly string[], TableLayout>();
const GENERIC: ColumnLayout = { footnote: { minLength: 24, when: 'narrow', reasonsOnly: true }, cut: { min: 8 } };

/** Registers the layout textTable uses for this very header array when called without one; returns the header. */
export function withLayout<T extends readonly string[]>(header: T, layout: TableLayout): T {
  LAYOUTS.set(header, layout);
  return header;
}

interface Col {
  name: string;
  cells: string[];
  layout: ColumnLayout;
  width: number;
  at: 'start' | 'end';
}

const natural = (c: Col): number => Math.max(c.name.length, ...c.cells.map((s) => s.length));
const total = (cols: readonly Col[]): number => cols.reduce((s, c) => s + c.width, 0) + SEP.length * Math.max(0, cols.length - 1);

/** Cuts s to w characters with "…" at the end or the start. */
function cut(s: string, w: number, at: 'start' | 'end'): string {
  if (s.length <= w) return s;
  if (w <= 1) return '…'.slice(0, w);
  return at === 'start' ? `…${s.slice(s.length - w + 1)}` : `${s.slice(0, w - 1)}…`;
}

/** Renders rows as an aligned plain-text table no wider than the width, followed by its hoisted values and footnotes. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], opts: TableOptions = {}): string {
  const width = opts.width ?? terminalWidth();
  const layout = opts.layout ?? LAYOUTS.get(header);
  let cols: Col[] = header.map((name, i) => {
    const l = layout ? (layout[name] ?? {}) : GENERIC;
    return { name, cells: rows.map((r) => r[i] ?? ''), layout: l, width: 0, at: l.cut?.at ?? 'end' };
  });
  const notes = new Footnotes();
  const footnote = (when: 'always' | 'narrow'): void => {
    for (const c of cols) {
      const f = c.layout.footnote;
      if (f?.when === when) c.cells = c.cells.map((s) => notes.ref(s, f.minLength, f.reasonsOnly));
    }
  };
  const measure = (): boolean => {
    for (const c of cols) c.width = natural(c);
    return total(cols) <= width;
  };
  footnote('always');
  const above: string[] = [];
  const dropped: string[] = [];
  if (!measure()) {
    footnote('narrow');
    if (!measure() && rows.length > 0) {
      const constant = (c: Col): string | undefined => {
        const values = new Set(c.cells.filter((s) => s !== '-'));
        return c.layout.hoist && values.size === 1 ? [...values][0] : undefined;
      };
      for (const c of cols) {
        const v = constant(c);
        if (v !== undefined) above.push(`${c.name} ${v}`);
      }
      cols = cols.filter((c) => constant(c) === undefined);
    }
    // Cut columns (widest first, down to their minimum) when that suffices; else leave out the next droppable one.
    const droppable = cols.filter((c) => c.layout.drop !== undefined).sort((a, b) => (a.layout.drop ?? 0) - (b.layout.drop ?? 0));
    const cutSaving = (): number => cols.reduce((s, c) => s + (c.layout.cut ? Math.max(0, c.width - c.layout.cut.min) : 0), 0);
    while (!measure() && droppable.length && total(cols) - cutSaving() > width) {
      const d = droppable.shift() as Col;
      dropped.push(d.name);
      cols = cols.filter((c) => c !== d);
    }
    let excess = total(cols) - width;
    while (excess > 0) {
      const c = cols.filter((x) => x.layout.cut && x.width > x.layout.cut.min).sort((a, b) => b.width - a.width)[0];
      if (!c) break;
      c.width--;
      excess--;
    }
  }
  const line = (cells: readonly string[]): string => cells.map((s, i) => cut(s, cols[i]?.width ?? 0, cols[i]?.at ?? 'end').padEnd(cols[i]?.width ?? 0)).join(SEP).trimEnd();
  const clip = (s: string): string => (s.length > width ? cut(s, width, 'end') : s);
  const out: string[] = [];
  if (above.length) out.push(...wrapText(above.join(' · '), width, 2), '');
  out.push(clip(line(cols.map((c) => c.name))), clip(line(cols.map((c) => '-'.repeat(c.width)))));
  for (let r = 0; r < rows.length; r++) out.push(clip(line(cols.map((c) => c.cells[r] ?? ''))));
  if (dropped.length) out.push(...wrapText(`(not shown at ${width} columns: ${dropped.join(', ')}; --wide shows all)`, width, 2));
  const foot = notes.lines();
  if (foot.length) out.push('', ...foot.flatMap((f) => wrapText(f, width, 4)));
  return out.join('\n');
}
