/** "Not measured" (and invalid) reasons as numbered GFM footnotes: one per distinct reason, listing the cells it covers. No I/O. */
import { mdText } from './pr-md.js';

/** A cell a reason applies to. */
export interface NoteCell {
  suite: string;
  layer: string;
  runtime: string;
  fixture: string;
}

/** Collects reasons in the order they are first referred to; numbers them 1, 2, … in that order. */
export class Footnotes {
  private readonly notes = new Map<string, { n: number; cells: NoteCell[] }>();

  /** The footnote reference for `reason`, recording the cells it covers. */
  ref(reason: string, cells: readonly NoteCell[]): string {
    const key = reason.replace(/\s+/g, ' ').trim() || 'no reason recorded';
    let note = this.notes.get(key);
    if (!note) {
      note = { n: this.notes.size + 1, cells: [] };
      this.notes.set(key, note);
    }
    note.cells.push(...cells);
    return `[^${note.n}]`;
  }

  /** For text ending in a recorded reason ("…: reason"): what comes before it and the reason's reference; else null. */
  suffixRef(text: string): { prefix: string; ref: string } | null {
    for (const [reason, { n }] of this.notes) {
      if (text.endsWith(reason)) return { prefix: text.slice(0, text.length - reason.length).replace(/[:;,]?\s*$/, ''), ref: `[^${n}]` };
    }
    return null;
  }

  /** How many distinct reasons were referred to. */
  get size(): number {
    return this.notes.size;
  }

  /** One definition line per reason: "reason — N cells: the cells." */
  definitions(): string[] {
    return [...this.notes].map(([reason, { n, cells }]) => `[^${n}]: ${mdText(reason)} — ${cells.length === 1 ? '1 cell' : `${cells.length} cells`}: ${mdText(cellList(cells))}.`);
  }
}

/** Cells grouped by suite and layer, runtimes sharing their fixtures listed together: "cold-start at oci: a, b × noop, hello". */
function cellList(cells: readonly NoteCell[]): string {
  const groups = new Map<string, Map<string, string[]>>();
  for (const c of cells) {
    const g = `${c.suite} at ${c.layer}`;
    const runtimes = groups.get(g) ?? new Map<string, string[]>();
    groups.set(g, runtimes);
    const fixtures = runtimes.get(c.runtime) ?? [];
    runtimes.set(c.runtime, fixtures);
    if (!fixtures.includes(c.fixture)) fixtures.push(c.fixture);
  }
  const parts: string[] = [];
  for (const [g, runtimes] of groups) {
    const byFixtures = new Map<string, string[]>();
    for (const [rt, fx] of runtimes) byFixtures.set(fx.join(', '), [...(byFixtures.get(fx.join(', ')) ?? []), rt]);
    parts.push(`${g}: ${[...byFixtures].map(([fx, rts]) => `${rts.join(', ')} × ${fx}`).join('; ')}`);
  }
  return parts.join(' · ');
}
