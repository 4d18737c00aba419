import { describe, expect, it } from 'vitest';
import { quantileCi, quantileRatioCi } from '../../src/core/bootstrap.js';
import { seededRng } from '../../src/core/rng.js';

/** n draws from Exp(1): true median ln 2. */
function exponential(n: number, seed: number): number[] {
  const rng = seededRng(seed);
  return Array.from({ length: n }, () => -Math.log(1 - rng()));
}

describe('bootstrap confidence intervals', () => {
  it('is reproducible for a given seed and changes with the seed', () => {
    const v = exponential(200, 1);
    expect(quantileCi(v, 0.5, { seed: 42 })).toEqual(quantileCi(v, 0.5, { seed: 42 }));
    const bounds = new Set([1, 2, 3, 4, 5, 6].map((seed) => { const c = quantileCi(v, 0.5, { seed }); return `${c.low},${c.high}`; }));
    expect(bounds.size).toBeGreaterThan(1);
  });

  it('covers the true median about 95% of the time', () => {
    const trials = 300;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const ci = quantileCi(exponential(100, 1000 + t), 0.5, { resamples: 500, seed: t });
      if (ci.low <= Math.LN2 && Math.LN2 <= ci.high) covered++;
    }
    const coverage = covered / trials;
    // Percentile bootstrap of a median with n=100 is close to nominal; 300 trials give ±2.5% noise.
    expect(coverage).toBeGreaterThan(0.9);
    expect(coverage).toBeLessThan(0.99);
  });

  it('brackets the point estimate and narrows with more data', () => {
    const small = quantileCi(exponential(50, 7), 0.99);
    const big = quantileCi(exponential(5000, 7), 0.5, { resamples: 300 });
    expect(small.low).toBeLessThanOrEqual(small.high);
    expect(big.high - big.low).toBeLessThan(0.1);
    expect(big.low).toBeLessThan(Math.LN2);
    expect(big.high).toBeGreaterThan(Math.LN2);
  });

  it('estimates a ratio of medians with a CI that covers the true ratio', () => {
    const a = exponential(400, 11).map((x) => 3 * x);
    const b = exponential(400, 12);
    const r = quantileRatioCi(a, b, 0.5, { seed: 5 });
    expect(r.ratio).toBeGreaterThan(2.4);
    expect(r.ratio).toBeLessThan(3.6);
    expect(r.ci.low).toBeLessThan(3);
    expect(r.ci.high).toBeGreaterThan(3);
    expect(r.ci.low).toBeLessThanOrEqual(r.ratio);
    expect(r.ci.high).toBeGreaterThanOrEqual(r.ratio);
  });
});
