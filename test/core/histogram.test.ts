import { describe, expect, it } from 'vitest';
import { decodeHistogram, encodeHistogram, histogramOf, histogramPercentile } from '../../src/core/histogram.js';
import { seededRng } from '../../src/core/rng.js';
import { summarize } from '../../src/core/summary.js';

describe('HDR histograms', () => {
  it('agree with exact percentiles to their 3 significant digits', () => {
    const rng = seededRng(3);
    const values = Array.from({ length: 20000 }, () => Math.round(500_000 + 5_000_000 * rng() ** 3));
    const h = histogramOf(values, 'ns');
    const exact = summarize(values);
    for (const [p, v] of [[50, exact.p50], [90, exact.p90], [99, exact.p99]] as const) {
      expect(Math.abs(histogramPercentile(h, p) - v) / v).toBeLessThan(0.001);
    }
    expect(h.histogram.totalCount).toBe(20000);
  });

  it('round-trips through the result encoding with unit and precision', () => {
    const h = histogramOf([1, 2, 3, 1_000_000, 60_000_000_000], 'ns');
    const e = encodeHistogram(h);
    expect(e).toMatchObject({ encoding: 'hdr-compressed-base64', unit: 'ns', significantDigits: 3, totalCount: 5 });
    const d = decodeHistogram(e);
    expect(d.histogram.totalCount).toBe(5);
    expect(histogramPercentile(d, 100) / 60_000_000_000).toBeCloseTo(1, 2);
  });

  it('refuses negative or non-finite values', () => {
    expect(() => histogramOf([-1], 'ns')).toThrow(RangeError);
    expect(() => histogramOf([Number.NaN], 'bytes')).toThrow(RangeError);
  });
});
