/**
 * The verdict engine's edges, with exact values: a statistic exactly at the threshold, nearest-rank
 * quantiles where q·n is not whole, min/max ratios, ratio pairing by fixture, invalid results, decimal
 * versus binary byte units. Each case is built so that a plausible slip in the engine changes a verdict
 * or a number asserted here.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeClaim, verdictOf } from '../../src/claims/engine.js';
import type { Claim } from '../../src/claims/types.js';
import { conversionFactor, formatIn } from '../../src/claims/units.js';
import { loadObservations } from '../../src/result/load-observations.js';
import type { Observation } from '../../src/result/observation.js';
import type { Result, Workload } from '../../src/result/types.js';
import { realCell, tmp, writeDerivedResult } from './helpers.js';

let dir: string;
let template: Result;
let count = 0;

beforeAll(async () => {
  dir = tmp('eb-claims-mut-');
  template = (await realCell('native', 'noop', 5, join(dir, 'real'))).result;
  if (template.status !== 'ok' || !template.workload) throw new Error(`template cell not measured: ${template.reason ?? template.status}`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ObsOptions {
  runtime?: string;
  fixture?: string;
  kind?: Workload['kind'];
  over?: Partial<Result>;
}

/** Writes a result like the real template whose metric values are `values`, and loads it back. */
function observe(values: Record<string, number[]>, o: ObsOptions = {}): { obs: Observation; path: string } {
  const w = template.workload as Workload;
  const path = writeDerivedResult(join(dir, `o${count++}`), 'r', template, values, {
    runtime: o.runtime ?? 'wasm-rt',
    workload: { ...w, name: o.fixture ?? w.name, kind: o.kind ?? 'wasm' },
    ...o.over,
  });
  return { obs: loadObservations([path])[0] as Observation, path };
}

const ms = (xs: number[]): number[] => xs.map((x) => x * 1e6);
const wallMs = (xs: number[], o: ObsOptions = {}): Observation => observe({ wall: ms(xs) }, o).obs;

const claim = (over: Partial<Claim> = {}): Claim => ({
  id: 'm', text: 'mutation probe', metric: { suite: 'cold-start', name: 'wall', statistic: 'p50' }, comparator: '<=', threshold: { value: 6, unit: 'ms' }, layers: ['process'], ...over,
});

describe('a statistic exactly at the threshold', () => {
  it('meets <= and >=, fails < and >', () => {
    expect(verdictOf(6, 6, '<=', 6)).toBe('confirmed');
    expect(verdictOf(6, 6, '>=', 6)).toBe('confirmed');
    expect(verdictOf(6, 6, '<', 6)).toBe('refuted');
    expect(verdictOf(6, 6, '>', 6)).toBe('refuted');
    expect(verdictOf(5, 6, '<=', 6)).toBe('confirmed');
    expect(verdictOf(5, 6, '<', 6)).toBe('inconclusive');
  });

  it('a p50 of exactly 6 ms (CI 6–6) is confirmed against <= 6 ms and refuted against < 6 ms', () => {
    const at = wallMs([6, 6, 6, 6, 6, 6, 6, 6, 6, 6]);
    const [v] = judgeClaim(claim(), [at]);
    expect(v).toMatchObject({ verdict: 'confirmed', estimate: 6, ci: { low: 6, high: 6, level: 0.95 }, requirement: '<= 6.00 ms' });
    expect(v?.why).toMatch(/^p50 6\.00 ms \[95% CI 6\.00 ms–6\.00 ms\] meets <= 6\.00 ms \(wall, n=10, values from raw-samples\)$/);
    expect(judgeClaim(claim({ comparator: '<' }), [at])[0]).toMatchObject({ verdict: 'refuted', estimate: 6 });
  });

  it('a max of exactly 6 ms (no CI) is confirmed against <= 6 ms', () => {
    const at = wallMs([1, 2, 3, 6]);
    const [v] = judgeClaim(claim({ metric: { suite: 'cold-start', name: 'wall', statistic: 'max' } }), [at]);
    expect(v).toMatchObject({ verdict: 'confirmed', estimate: 6 });
    expect(v?.ci).toBeUndefined();
  });
});

describe('nearest-rank quantiles where q·n is not whole', () => {
  const p = (stat: Claim['metric']['statistic'], xs: number[]): number | undefined =>
    judgeClaim(claim({ metric: { suite: 'cold-start', name: 'wall', statistic: stat }, threshold: { value: 1000, unit: 'ms' } }), [wallMs(xs)])[0]?.estimate;

  it('p50 of 1..5 ms (q·n = 2.5) is the 3rd value, 3 ms', () => {
    expect(p('p50', [5, 1, 4, 2, 3])).toBe(3);
  });

  it('p90 of 1..5 ms (q·n = 4.5) is 5 ms; p90 of 1..7 ms (q·n = 6.3) is 7 ms; p99 of 1..7 ms is 7 ms', () => {
    expect(p('p90', [1, 2, 3, 4, 5])).toBe(5);
    expect(p('p90', [7, 6, 5, 4, 3, 2, 1])).toBe(7);
    expect(p('p99', [1, 2, 3, 4, 5, 6, 7])).toBe(7);
  });

  it('where q·n is whole the rank is exactly q·n: p50 of 1..10 ms is 5 ms, p90 is 9 ms', () => {
    expect(p('p50', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(5);
    expect(p('p90', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(9);
  });
});

describe('ratio claims', () => {
  const ratioClaim = (stat: Claim['metric']['statistic'], value: number, over: Partial<Claim> = {}): Claim =>
    claim({
      metric: { suite: 'cold-start', name: 'wall', statistic: stat }, comparator: '>=', threshold: { value, unit: 'x' },
      ratio: { numerator: { runtimes: ['runc'] }, denominator: { runtimes: ['wasm-rt'] } }, ...over,
    });

  it('max ratio is max(numerator) / max(denominator); min ratio is min / min', () => {
    // max: 40 / 4 = 10; min: 10 / 2 = 5; the other pairings give 20, 2.5, 0.1 and 0.2.
    const num = wallMs([10, 20, 30, 40], { runtime: 'runc', kind: 'native' });
    const den = wallMs([2, 3, 4], { runtime: 'wasm-rt' });
    const [mx] = judgeClaim(ratioClaim('max', 8), [num, den]);
    expect(mx).toMatchObject({ verdict: 'confirmed', estimate: 10, subject: 'runc/noop ÷ wasm-rt/noop', why: 'max wall ratio 10.0× meets >= 8.00×' });
    expect(mx?.ci).toBeUndefined();
    const [mn] = judgeClaim(ratioClaim('min', 8), [num, den]);
    expect(mn).toMatchObject({ verdict: 'refuted', estimate: 5, why: 'min wall ratio 5.00× fails >= 8.00×' });
  });

  it('pairs numerator and denominator by fixture only', () => {
    // Same fixture: noop 40/4 = 10 (meets >= 5), hello 100/50 = 2 (fails). Crossed they would be 40/50 and 100/4.
    const obs = [
      wallMs([20, 40], { runtime: 'runc', fixture: 'noop', kind: 'native' }),
      wallMs([60, 100], { runtime: 'runc', fixture: 'hello', kind: 'native' }),
      wallMs([3, 4], { runtime: 'wasm-rt', fixture: 'noop' }),
      wallMs([30, 50], { runtime: 'wasm-rt', fixture: 'hello' }),
    ];
    const v = judgeClaim(ratioClaim('max', 5), obs);
    expect(v.map((x) => [x.subject, x.verdict, x.estimate])).toEqual([
      ['runc/noop ÷ wasm-rt/noop', 'confirmed', 10],
      ['runc/hello ÷ wasm-rt/hello', 'refuted', 2],
    ]);
    // A quantile ratio pairs the same way: p50 20/3 and 60/30 (the nearest-rank median of two values is the lower).
    const q = judgeClaim(ratioClaim('p50', 5), obs);
    expect(q.map((x) => [x.subject, x.estimate])).toEqual([
      ['runc/noop ÷ wasm-rt/noop', 20 / 3],
      ['runc/hello ÷ wasm-rt/hello', 60 / 30],
    ]);
  });

  it('numerator and denominator on different fixtures only: not measured, no ratio', () => {
    const v = judgeClaim(ratioClaim('max', 5), [
      wallMs([20, 40], { runtime: 'runc', fixture: 'noop', kind: 'native' }),
      wallMs([30, 50], { runtime: 'wasm-rt', fixture: 'hello' }),
    ]);
    expect(v).toEqual([expect.objectContaining({ verdict: 'not-measured', subject: '-', why: 'no numerator and denominator results share a fixture at layer process', runIds: [] })]);
  });
});

describe('invalid results', () => {
  const REASON = '6 of 8 measured samples failed (75.0% > 10.0% allowed)';

  /**
   * An invalid result as written (no metrics, so loaded with no values), and the same result in memory with
   * the 2 ms values of a valid twin still attached: were either judged, "<= 6 ms" would be confirmed.
   */
  function invalid(runtime = 'wasm-rt'): { written: Observation; withValues: Observation; runId: string } {
    const runId = `invalid-${count}`;
    const wall = ms([2, 2, 2, 2, 2, 2, 2, 2]);
    const written = observe({ wall }, { runtime, over: { runId, status: 'invalid', reason: REASON, metrics: [] } }).obs;
    const twin = observe({ wall }, { runtime, over: { runId } }).obs;
    const withValues: Observation = { ...twin, result: { ...twin.result, status: 'invalid', reason: REASON } };
    expect(judgeClaim(claim(), [twin])[0]).toMatchObject({ verdict: 'confirmed', estimate: 2 });
    return { written, withValues, runId };
  }

  it('are not measured, with the result\'s reason, even when their values are at hand', () => {
    const { written, withValues, runId } = invalid();
    expect(written.result.status).toBe('invalid');
    for (const o of [written, withValues]) {
      expect(judgeClaim(claim(), [o])).toEqual([{
        claimId: 'm', text: 'mutation probe', requirement: '<= 6.00 ms', layer: 'process', subject: 'wasm-rt/noop',
        verdict: 'not-measured', why: `result invalid: ${REASON}`, runIds: [runId],
      }]);
    }
  });

  it('do not feed a ratio', () => {
    const den = wallMs([1, 1, 1, 1]);
    const c = claim({ comparator: '>=', threshold: { value: 1.5, unit: 'x' }, ratio: { numerator: { runtimes: ['runc'] }, denominator: { runtimes: ['wasm-rt'] } } });
    const { written, withValues } = invalid('runc');
    for (const o of [written, withValues]) {
      const v = judgeClaim(c, [o, den]);
      expect(v).toHaveLength(1);
      expect(v[0]).toMatchObject({ verdict: 'not-measured', subject: '-', why: `result invalid: ${REASON}` });
      expect(v[0]?.estimate).toBeUndefined();
    }
  });
});

describe('decimal and binary byte units', () => {
  it('conversion factors: kB/MB/GB are powers of 1000, KiB/MiB/GiB powers of 1024', () => {
    expect(conversionFactor('B', 'bytes')).toBe(1);
    expect(conversionFactor('kB', 'bytes')).toBe(1_000);
    expect(conversionFactor('MB', 'bytes')).toBe(1_000_000);
    expect(conversionFactor('GB', 'bytes')).toBe(1_000_000_000);
    expect(conversionFactor('KiB', 'bytes')).toBe(1_024);
    expect(conversionFactor('MiB', 'bytes')).toBe(1_048_576);
    expect(conversionFactor('GiB', 'bytes')).toBe(1_073_741_824);
    expect(250 * (conversionFactor('MB', 'bytes') as number)).toBe(250_000_000);
    expect(conversionFactor('MB', 'ns')).toBeNull();
    expect(formatIn(250, 'MB')).toBe('250 MB');
  });

  // 250 MB = 250,000,000 B ≈ 238.4 MiB; 250 MiB = 262,144,000 B. Values in between (≈ 243.2 MiB) are over
  // 250 MB and under 250 MiB: a claim in MB read as MiB would wrongly pass.
  const rss = [252, 253, 254, 255, 256, 257, 258].map((x) => x * 1e6);
  const memClaim = (value: number, unit: 'MB' | 'MiB'): Claim =>
    claim({ metric: { suite: 'cold-start', name: 'peak_rss', statistic: 'p50' }, comparator: '<', threshold: { value, unit } });

  it('a p50 RSS of 255,000,000 B is refuted against < 250 MB and confirmed against < 250 MiB', () => {
    const o = observe({ peak_rss: rss }).obs;
    const [mb] = judgeClaim(memClaim(250, 'MB'), [o]);
    expect(mb).toMatchObject({ verdict: 'refuted', estimate: 255, requirement: '< 250 MB' });
    expect(mb?.why).toMatch(/^p50 255 MB \[95% CI 25\d MB–25\d MB\] fails < 250 MB/);
    const [mib] = judgeClaim(memClaim(250, 'MiB'), [o]);
    expect(mib).toMatchObject({ verdict: 'confirmed', estimate: 255_000_000 / 1_048_576 });
  });

  it('exactly 250,000,000 B is 250 MB: confirmed against <= 250 MB, refuted against < 250 MB', () => {
    const o = observe({ peak_rss: [250e6, 250e6, 250e6, 250e6, 250e6] }).obs;
    expect(judgeClaim({ ...memClaim(250, 'MB'), comparator: '<=' }, [o])[0]).toMatchObject({ verdict: 'confirmed', estimate: 250 });
    expect(judgeClaim(memClaim(250, 'MB'), [o])[0]).toMatchObject({ verdict: 'refuted', estimate: 250 });
  });
});
