import { describe, expect, it } from 'vitest';
import { textTable, withLayout } from '../../src/output/format.js';
import { wrapText } from '../../src/output/wrap.js';

const longest = (t: string): number => Math.max(...t.split('\n').map((l) => l.length));
const REASON_A = 'not-measured: wasmtime not found on PATH; to measure it: install Wasmtime (https://docs.wasmtime.dev/cli-install.html) and put `wasmtime` on PATH';
const REASON_B = 'not-measured: containerd not answering at /run/containerd/containerd.sock (start it: scripts/oci-daemons.sh)';

/** A wide table: long identifiers, numbers, and long reasons repeated on several rows. */
function wideRows(): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < 12; i++) {
    const reason = i % 3 === 0 ? REASON_A : i % 3 === 1 ? REASON_B : 'ok';
    rows.push(['cold-start', 'process', `runtime-with-a-rather-long-name-${i}`, 'hello', 'wall', '100', `${i}.25`, `${i}.5 ± 0.1`, `${i}.4 [${i}.3–${i}.6]`, '9.99', '10.1', '12.3', '0/100', 'launcher-monotonic', reason]);
  }
  return rows;
}
const HEADER = ['suite', 'layer', 'runtime', 'workload', 'metric', 'n', 'min', 'mean ± σ', 'p50 [95% CI]', 'p95', 'p99', 'max', 'failed', 'clock', 'status'];

describe('textTable fitted to a width', () => {
  it('never produces a line longer than 80 at width 80, with or without a layout, wide cells or many columns', () => {
    expect(longest(textTable(HEADER, wideRows(), { width: 80 }))).toBeLessThanOrEqual(80);
    const layout = { runtime: { cut: { min: 12 } }, status: { footnote: { minLength: 16, when: 'always' as const } }, clock: { drop: 1 }, suite: { hoist: true } };
    expect(longest(textTable(HEADER, wideRows(), { width: 80, layout }))).toBeLessThanOrEqual(80);
    const manyColumns = Array.from({ length: 40 }, (_, i) => `column-${i}`);
    expect(longest(textTable(manyColumns, [manyColumns.map((c) => `${c}-value`)], { width: 80 }))).toBeLessThanOrEqual(80);
    for (const w of [20, 41, 100, 120]) expect(longest(textTable(HEADER, wideRows(), { width: w, layout }))).toBeLessThanOrEqual(w);
  });

  it('prints each distinct long reason once, as a numbered footnote referred to from its rows', () => {
    const t = textTable(HEADER, wideRows(), { width: Infinity, layout: { status: { footnote: { minLength: 16, when: 'always' } } } });
    expect(t.split(REASON_A.slice(0, 30)).length - 1).toBe(1);
    expect(t.split(REASON_B.slice(0, 30)).length - 1).toBe(1);
    expect(t).toMatch(/^\[1\] not-measured: wasmtime not found on PATH/m);
    expect(t).toMatch(/^\[2\] not-measured: containerd not answering/m);
    expect(t.match(/not-measured \[1\]/g)).toHaveLength(4);
    expect(t.match(/not-measured \[2\]/g)).toHaveLength(4);
    expect(t).not.toMatch(/\[3\]/);
  });

  it('keeps every column and cell whole at unlimited width (--wide, a pipe)', () => {
    const rows = wideRows();
    const t = textTable(HEADER, rows, { width: Infinity });
    const [head, rule, ...body] = t.split('\n');
    expect(head?.split(/\s{2,}/)).toEqual(HEADER);
    expect(rule).toMatch(/^-+( +-+){14}$/);
    expect(body).toHaveLength(rows.length);
    expect(body[0]).toContain(REASON_A); // generic layout: footnotes only when too wide
    expect(longest(t)).toBeGreaterThan(200);
  });

  it('hoists constant columns above the table, then leaves out droppable ones, naming them', () => {
    const header = withLayout(['suite', 'runtime', 'mean', 'p99', 'clock'], { suite: { hoist: true }, p99: { drop: 2 }, clock: { drop: 1 } });
    const rows = [['cold-start', 'native', '1.00 ± 0.10', '1.50', 'launcher-monotonic-with-a-long-name'], ['cold-start', 'node-wasi', '40.0 ± 2.00', '45.0', 'launcher-monotonic-with-a-long-name']];
    const t = textTable(header, rows, { width: 40 });
    expect(t.split('\n')[0]).toBe('suite cold-start');
    expect(t).toMatch(/^runtime\s+mean\s+p99$/m);
    expect(t).toContain('not shown at 40 columns: clock');
    expect(longest(t)).toBeLessThanOrEqual(40);
    expect(textTable(header, rows, { width: Infinity })).toMatch(/^suite\s+runtime\s+mean\s+p99\s+clock$/m);
  });
});

describe('textTable without a layout', () => {
  it('footnotes only "status: why" cells when narrow, and cuts long identifiers with an ellipsis', () => {
    const header = ['comparison', 'verdict'];
    const id = 'cold-start process/node-wasi/hello (run-a → run-b) and more words to make it long';
    const t = textTable(header, [[id, REASON_B], [id, 'no change']], { width: 60 });
    expect(t).toMatch(/^\[1\] not-measured: containerd not answering/m);
    expect(t).toMatch(/^cold-start process\/node-wasi\/hello \(run-a…  not-measured \[1\]$/m);
    expect(t).not.toMatch(/\[2\]/);
    expect(longest(t)).toBeLessThanOrEqual(60);
  });
});

describe('wrapText', () => {
  it('wraps at word boundaries with a hanging indent and breaks over-long words', () => {
    const lines = wrapText('[1] alpha beta gamma delta epsilon averyveryverylongwordindeed', 16, 4);
    expect(lines).toEqual(['[1] alpha beta', '    gamma delta', '    epsilon', '    averyveryver', '    ylongwordind', '    eed']);
    expect(wrapText('short', 80)).toEqual(['short']);
  });
});
