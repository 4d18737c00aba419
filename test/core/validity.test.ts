import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import { CLIENT_MONOTONIC } from '../../src/core/clock.js';
import type { MetricSpec, Sample } from '../../src/core/metric.js';
import { countSamples, judgeValidity } from '../../src/core/validity.js';

function samples(ok: number, failed: number, warmup = 0): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < warmup; i++) out.push({ index: out.length, warmup: true, ok: false, values: {} });
  for (let i = 0; i < ok; i++) out.push({ index: out.length, warmup: false, ok: true, values: { wall: 1000 + i } });
  for (let i = 0; i < failed; i++) out.push({ index: out.length, warmup: false, ok: false, error: 'exit code 1', values: { wall: 5 } });
  return out;
}

const SPEC = [{ name: 'wall', unit: 'ns' as const, better: 'lower' as const, clock: CLIENT_MONOTONIC, description: 'test' }];

describe('failure accounting', () => {
  it('counts warm-up apart and does not count warm-up failures', () => {
    expect(countSamples(samples(90, 10, 5))).toEqual({ total: 105, warmup: 5, measured: 100, failed: 10, failureRatio: 0.1 });
  });

  it('accepts exactly 10% failures and rejects 11%', () => {
    expect(judgeValidity(countSamples(samples(90, 10)))).toEqual({ valid: true });
    const v = judgeValidity(countSamples(samples(89, 11)));
    expect(v).toEqual({ valid: false, reason: '11 of 100 measured samples failed (11.0% > 10.0% allowed)' });
  });

  it('takes a configurable limit', () => {
    expect(judgeValidity(countSamples(samples(95, 5)), 0.01).valid).toBe(false);
    expect(judgeValidity(countSamples(samples(80, 20)), 0.25).valid).toBe(true);
  });

  it('marks an invalid run without summaries, and summarises only successful samples', () => {
    const bad = analyze(SPEC, samples(50, 50));
    expect(bad.status).toBe('invalid');
    expect(bad.metrics).toEqual([]);
    const good = analyze(SPEC, samples(95, 5, 3));
    expect(good.status).toBe('ok');
    expect(good.metrics[0]?.summary.count).toBe(95);
    expect(good.metrics[0]?.summary.min).toBe(1000); // the failed samples' value 5 is excluded
  });

  it('refuses a metric declared without a direction, and carries the declared one into the result', () => {
    const undeclared = [{ name: 'requests_failed', unit: 'requests' as const, clock: CLIENT_MONOTONIC, description: 'test' }] as unknown as MetricSpec[];
    expect(() => analyze(undeclared, samples(10, 0))).toThrow('metric requests_failed declares no direction');
    const bogus = [{ ...SPEC[0], better: 'bigger' }] as unknown as MetricSpec[];
    expect(() => analyze(bogus, samples(10, 0))).toThrow(/metric wall declares no direction .*got "bigger"/);
    expect(analyze([{ ...SPEC[0]!, better: 'neither' }], samples(10, 0)).metrics[0]?.better).toBe('neither');
  });

  it('calls a run with nothing measured invalid', () => {
    expect(analyze(SPEC, samples(0, 0, 3))).toMatchObject({ status: 'invalid', reason: 'no measured samples were taken' });
  });
});
