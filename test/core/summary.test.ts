import { describe, expect, it } from 'vitest';
import { quantileSorted, sortedCopy } from '../../src/core/quantile.js';
import { summarize } from '../../src/core/summary.js';

describe('summarize', () => {
  it('gives exact nearest-rank percentiles for 1..100', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // unsorted on purpose
    const s = summarize(values);
    expect(s).toMatchObject({ count: 100, min: 1, p50: 50, p90: 90, p99: 99, p999: 100, max: 100, mean: 50.5 });
    expect(s.stddev).toBeCloseTo(Math.sqrt(841.6666666666666), 10);
  });

  it('gives exact percentiles for 1..1000 including p99.9', () => {
    const s = summarize(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect([s.p50, s.p90, s.p99, s.p999]).toEqual([500, 900, 990, 999]);
  });

  it('handles a single sample and rejects an empty one', () => {
    expect(summarize([7])).toMatchObject({ count: 1, min: 7, p50: 7, p99: 7, max: 7, mean: 7, stddev: 0 });
    expect(() => summarize([])).toThrow(/empty/);
  });

  it('uses the nearest-rank definition on small samples', () => {
    const s = sortedCopy([10, 20, 30, 40]);
    expect(quantileSorted(s, 0.5)).toBe(20);
    expect(quantileSorted(s, 0.51)).toBe(30);
    expect(quantileSorted(s, 0)).toBe(10);
    expect(quantileSorted(s, 1)).toBe(40);
    expect(() => quantileSorted(s, 1.5)).toThrow(RangeError);
  });
});
