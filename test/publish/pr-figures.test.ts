/** A row's figures: one scale per row, p95 from the values (marked ≈ when they came from histogram buckets). */
import { describe, expect, it } from 'vitest';
import { figureCells } from '../../src/output/pr-row.js';
import { rowScale } from '../../src/output/pr-scale.js';
import { p95Of } from '../../src/output/pr-stats.js';
import { measured } from './pr-results.js';

describe('rowScale', () => {
  it('picks the unit that prints the row\'s p50 between 1 and 1000, about four significant figures', () => {
    const at = (unit: Parameters<typeof rowScale>[0], ref: number): string => { const s = rowScale(unit, ref); return `${s.fmt(ref)} ${s.unit}`; };
    expect(at('ns', 512)).toBe('512 ns');
    expect(at('ns', 170_600)).toBe('170.6 µs');
    expect(at('ns', 8_388_000)).toBe('8.388 ms');
    expect(at('ns', 81_930_000)).toBe('81.93 ms');
    expect(at('ns', 1_184_000_000)).toBe('1.184 s');
    expect(at('bytes', 1.5 * 1024 ** 2)).toBe('1.500 MiB');
    expect(at('bytes', 900)).toBe('900 B');
    expect(at('count', 20)).toBe('20 count');
    expect(at('percent', 0.25)).toBe('0.25 %');
  });
});

describe('figureCells', () => {
  it('p95 by nearest rank over the values; every figure in the row\'s unit', () => {
    expect(p95Of([5, 1, 4, 2, 3])).toBe(5);
    expect(p95Of(Array.from({ length: 40 }, (_, i) => i + 1))).toBe(38);
    expect(p95Of([])).toBeNull();
    const o = measured({ suite: 'cold-start', layer: 'process', runtime: 'native', fixture: 'noop' }, { wall: Array.from({ length: 40 }, (_, i) => (i + 1) * 1e5) });
    const m = o.result.metrics[0];
    if (!m) throw new Error('no metric');
    const cells = figureCells(o, m);
    expect(cells.slice(0, 4)).toEqual(['40', 'ms', '0.100', '2.050 ± 1.169']);
    expect(cells[4]).toMatch(/^2\.000 \\\[\d\.\d{3}–\d\.\d{3}\\\]$/);
    expect(cells.slice(5)).toEqual(['3.800', '4.000', '4.000']);
    expect(figureCells({ ...o, source: 'histogram' }, m)[5]).toBe('≈3.800');
  });
});
