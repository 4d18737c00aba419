/** A nightly-sized PR comment: within GitHub's comment limit, its tables on one screen, every reason footnoted once. */
import type { FootnoteDefinition, Table } from 'mdast';
import { describe, expect, it } from 'vitest';
import { GITHUB_COMMENT_LIMIT, LEFT_OUT } from '../../src/output/pr-fit.js';
import { prMarkdown } from '../../src/output/pr-markdown.js';
import { LAYERS } from '../../src/result/types.js';
import { beforeDetails, parseGfm, tableTexts, textOf } from './pr-gfm.js';
import { FIXTURES, isMeasured, nightlyInput, RUNTIMES, whyNot } from './pr-nightly.js';

const input = nightlyInput();
const md = prMarkdown(input);
const root = parseGfm(md);

describe('PR comment for a nightly run', () => {
  it('fits GitHub\'s comment limit, and its headline and tables fit one screen', () => {
    expect(input.observations).toHaveLength(5 * 8 * 3 + 8);
    expect(GITHUB_COMMENT_LIMIT).toBe(65_536);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT * 0.75); // room for a larger run before anything is left out
    expect(md).not.toContain(LEFT_OUT);
    const lines = md.split('\n');
    expect(lines.findIndex((l) => l.startsWith('<details>'))).toBeLessThan(60);
    expect(Math.max(...lines.slice(0, lines.findIndex((l) => l.startsWith('<details>'))).map((l) => l.length))).toBeLessThan(400);
  });

  it('one table per suite, a row per measured cell, in layer order', () => {
    const tables = beforeDetails(root).filter((n): n is Table => n.type === 'table').map(tableTexts);
    expect(tables.map((t) => t.length - 1)).toEqual([1 * 3 + 4 * 3 + 1 * 3, 2, 4, 2]);
    const cold = tables[0] ?? [];
    expect(cold.slice(1).map((r) => r[0])).toEqual([...Array(3).fill('embedded'), ...Array(12).fill('process'), ...Array(3).fill('oci')]);
    expect(tables[2]?.slice(1).map((r) => r[1])).toEqual(['wasmedge-from0 [simulated]', 'runc-from0 [simulated]', 'wasmedge-from1 [simulated]', 'runc-from1 [simulated]']);
    const row = cold.find((r) => r[0] === 'process' && r[1] === 'wasmtime' && r[2] === 'hello');
    const m = input.observations.find((o) => o.result.layer === 'process' && o.result.runtime === 'wasmtime' && o.result.workload?.name === 'hello')?.result.metrics[0];
    expect(row?.[4]).toBe('ms');
    expect(row?.[7]?.split(' ')[0]).toBe(((m?.summary.p50 ?? 0) / 1e6).toFixed(2));
  });

  it('the headline counts the regressions the comparison table lists', () => {
    const regressed = (input.comparisons ?? []).flatMap((p) => p.metrics.filter((m) => m.change === 'regressed'));
    expect(regressed.length).toBeGreaterThan(0);
    expect(md).toContain(`**Regressions:** **${regressed.length}** against baseline nightly-0`);
    expect(md.match(/\| worse \(regression\) \||\| slower \(regression\) \|/g)).toHaveLength(regressed.length);
  });

  it('every not-measured reason once as a footnote, counting its cells', () => {
    const defs = root.children.filter((n): n is FootnoteDefinition => n.type === 'footnoteDefinition').map(textOf);
    const reasons = new Map<string, number>();
    for (const layer of LAYERS) for (const rt of RUNTIMES) if (!isMeasured(layer, rt)) reasons.set(whyNot(layer, rt), (reasons.get(whyNot(layer, rt)) ?? 0) + FIXTURES.length);
    expect(defs).toHaveLength(reasons.size);
    for (const [reason, cells] of reasons) {
      const hits = defs.filter((d) => d.startsWith(`${reason} — `));
      expect(hits, reason).toHaveLength(1);
      expect(hits[0]).toContain(` — ${cells} cells: `);
    }
  });
});
