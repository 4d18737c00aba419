import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import { CLIENT_MONOTONIC } from '../../src/core/clock.js';
import { STATISTICS, isStatistic, statisticOf } from '../../src/core/statistics.js';
import { storedStatistic } from '../../src/core/stored-statistic.js';

const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('statistics', () => {
  it('names the statistics the tool knows, in display order', () => {
    expect(STATISTICS).toEqual(['min', 'mean', 'stddev', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max']);
    expect(isStatistic('p95')).toBe(true);
    expect(isStatistic('p75')).toBe(false);
  });

  it('computes each from a sorted sample (nearest rank; sample standard deviation)', () => {
    const got = Object.fromEntries(STATISTICS.map((s) => [s, statisticOf(sorted, s)]));
    expect(got).toEqual({ min: 1, mean: 5.5, stddev: expect.closeTo(3.02765, 4), p50: 5, p90: 9, p95: 10, p99: 10, 'p99.9': 10, max: 10 });
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(statisticOf(hundred, 'p95')).toBe(95);
    expect(statisticOf(hundred, 'p99')).toBe(99);
    expect(statisticOf([42], 'stddev')).toBe(0);
  });

  it('refuses an empty sample', () => {
    expect(() => statisticOf([], 'mean')).toThrow(/empty/);
  });

  it('reads a stored metric: the summary where it holds the statistic, p95 from the histogram', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i + 1) * 1000);
    const a = analyze([{ name: 'wall', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'd' }], values.map((v, index) => ({ index, warmup: false, ok: true, values: { wall: v } })), { bootstrap: { seed: 1, resamples: 200 } });
    const m = a.metrics[0];
    if (!m) throw new Error('no metric');
    expect(storedStatistic(m, 'mean')).toBe(m.summary.mean);
    expect(storedStatistic(m, 'p99.9')).toBe(m.summary.p999);
    expect(storedStatistic(m, 'p95')).toBeGreaterThanOrEqual(950_000 * 0.999);
    expect(storedStatistic(m, 'p95')).toBeLessThanOrEqual(950_000 * 1.001);
    const few = analyze(m ? [m] : [], [3_000_123, 9_741_000, 1_234_567].map((v, index) => ({ index, warmup: false, ok: true, values: { wall: v } })), { bootstrap: { seed: 1, resamples: 50 } }).metrics[0];
    if (!few) throw new Error('no metric');
    expect(storedStatistic(few, 'p95')).toBe(9_741_000); // never beyond the maximum, though its histogram bucket reaches further
    const { mean: _m, stddev: _s, ...older } = m.summary;
    expect(storedStatistic({ summary: older as typeof m.summary, histogram: m.histogram }, 'mean')).toBeCloseTo(500_500, -3);
  });
});
