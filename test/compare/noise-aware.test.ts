/**
 * Noise-aware A/B (issue 14, item 1): the round bootstrap's coverage where runs vary as wholes, paired rounds,
 * verdicts against a minimum effect, the host-load rule, family-wise control per cell, and the gate's exit codes.
 */
import { describe, expect, it } from 'vitest';
import { quantileRatioCi } from '../../src/core/bootstrap.js';
import { CLIENT_MONOTONIC } from '../../src/core/clock.js';
import type { MetricSpec } from '../../src/core/metric.js';
import { groupByRound, quantileStatistic, roundRatioCi } from '../../src/core/round-bootstrap.js';
import { seededRng, type Rng } from '../../src/core/rng.js';
import { applyLoadRule, comparePair, compareMetric, pairVerdict, verdictOf, type MetricComparison } from '../../src/compare/compare.js';
import { gateOf } from '../../src/compare/gate.js';
import { loadDifference } from '../../src/compare/load-difference.js';
import type { Observation } from '../../src/result/observation.js';
import type { HostLoad, Result } from '../../src/result/types.js';

/** A standard normal draw (Box–Muller). */
function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/**
 * One side of a run: `rounds` rounds of `per` samples; each round has its own level (log-normal, σ = between),
 * each sample noise on top (σ = within); `drift` (per round, shared with the other side when given) is added too.
 */
function side(rng: Rng, rounds: number, per: number, scale: number, between: number, within: number, drift?: readonly number[]): number[][] {
  return Array.from({ length: rounds }, (_, r) => {
    const level = scale * Math.exp(between * normal(rng) + (drift?.[r] ?? 0));
    return Array.from({ length: per }, () => level * Math.exp(within * normal(rng)));
  });
}

const median = quantileStatistic(0.5);

describe('round bootstrap', () => {
  it('covers the true ratio about 95% of the time when whole rounds vary; the sample-level bootstrap does not', () => {
    const trials = 150;
    let byRounds = 0;
    let bySamples = 0;
    for (let t = 0; t < trials; t++) {
      const rng = seededRng(9000 + t);
      // A/A: both sides from the same process, whose rounds move by ~5% and samples by ~2%.
      const a = side(rng, 10, 10, 1000, 0.05, 0.02);
      const b = side(rng, 10, 10, 1000, 0.05, 0.02);
      const r = roundRatioCi(b, a, median, { seed: t, resamples: 400 });
      if (r.low <= 1 && 1 <= r.high) byRounds++;
      const s = quantileRatioCi(b.flat(), a.flat(), 0.5, { seed: t, resamples: 400 });
      if (s.ci.low <= 1 && 1 <= s.ci.high) bySamples++;
    }
    // Percentile bootstrap over 10 rounds runs a little narrow (≈ (R−1)/R of the variance): close to nominal.
    expect(byRounds / trials).toBeGreaterThan(0.85);
    // Ignoring the rounds, the CI is far too narrow: it misses the true ratio most of the time.
    expect(bySamples / trials).toBeLessThan(0.6);
  });

  it('pairs rounds of one run: drift shared by both sides cancels, giving a narrower CI that still covers', () => {
    const trials = 100;
    let covered = 0;
    let narrower = 0;
    for (let t = 0; t < trials; t++) {
      const rng = seededRng(500 + t);
      const drift = Array.from({ length: 10 }, () => 0.1 * normal(rng));
      const a = side(rng, 10, 8, 1000, 0.005, 0.02, drift);
      const b = side(rng, 10, 8, 1100, 0.005, 0.02, drift);
      const paired = roundRatioCi(b, a, median, { seed: t, resamples: 400, paired: true });
      const apart = roundRatioCi(b, a, median, { seed: t, resamples: 400 });
      if (paired.low <= 1.1 && 1.1 <= paired.high) covered++;
      if (paired.high - paired.low < apart.high - apart.low) narrower++;
      expect(paired.paired).toBe(true);
    }
    expect(covered / trials).toBeGreaterThan(0.85);
    expect(narrower / trials).toBeGreaterThan(0.9);
  });

  it('groups values by round and refuses mismatched indices and unequal paired rounds', () => {
    expect(groupByRound([1, 2, 3, 4], [1, 0, 1, 0])).toEqual([[2, 4], [1, 3]]);
    expect(groupByRound([5, 6])).toEqual([[5, 6]]);
    expect(() => groupByRound([1, 2], [0])).toThrow(/do not match/);
    expect(() => roundRatioCi([[1], [2]], [[1]], median, { paired: true })).toThrow(/equal round counts/);
  });

  it('widens its tails for a stricter level (enough replicates in each tail) and is reproducible', () => {
    const rng = seededRng(3);
    const a = side(rng, 6, 10, 100, 0.03, 0.02);
    const b = side(rng, 6, 10, 100, 0.03, 0.02);
    const r95 = roundRatioCi(b, a, median, { seed: 1, level: 0.95 });
    const r99 = roundRatioCi(b, a, median, { seed: 1, level: 0.995 });
    expect(r99.resamples).toBeGreaterThanOrEqual(4000);
    expect(r99.low).toBeLessThanOrEqual(r95.low);
    expect(r99.high).toBeGreaterThanOrEqual(r95.high);
    expect(roundRatioCi(b, a, median, { seed: 1 })).toEqual(r95);
  });
});

describe('verdicts against a minimum effect', () => {
  it('regression, improvement, no change and inconclusive, by direction', () => {
    expect(verdictOf('lower', 1.08, 1.2, 0.05).change).toBe('regressed');
    expect(verdictOf('higher', 1.08, 1.2, 0.05).change).toBe('improved');
    expect(verdictOf('lower', 0.8, 0.9, 0.05).change).toBe('improved');
    expect(verdictOf('lower', 0.97, 1.03, 0.05).change).toBe('no change');
    expect(verdictOf('lower', 1.01, 1.09, 0.05)).toEqual({ change: 'inconclusive', why: 'the CI straddles the ±5% minimum effect' });
    expect(verdictOf('lower', 0.9, 1.01, 0.05).change).toBe('inconclusive');
    // A real but small change (whole CI above 1, within the minimum effect) is no change.
    expect(verdictOf('lower', 1.01, 1.04, 0.05).change).toBe('no change');
    expect(verdictOf('neither', 1.2, 1.3, 0.05).change).toBe('changed');
    expect(verdictOf('neither', 1.0, 1.3, 0.05).change).toBe('no change');
  });
});

const load = (psi: number | null, perCore: number | null = 0.5): HostLoad => ({ source: psi === null ? 'loadavg' : 'psi-cpu-some', cpuSomeRatio: psi, loadavgPerCore: perCore, spanNs: 1e9, cores: 2 });
const verdict = (change: MetricComparison['change']): MetricComparison => ({
  metric: 'wall', unit: 'ns', better: 'lower', base: 1, candidate: 1.5, ratio: 1.5, ci: { low: 1.4, high: 1.6, level: 0.95 }, change,
  word: change === 'regressed' ? 'slower' : 'faster', baseN: 10, candidateN: 10, rounds: { base: 10, candidate: 10, paired: false }, source: 'raw-samples',
});

describe('host load rule', () => {
  it('a regression on a more loaded candidate is inconclusive, naming the load; on a more loaded base it stands', () => {
    const m = applyLoadRule(verdict('regressed'), load(0.05), load(0.4));
    expect(m.change).toBe('inconclusive');
    expect(m.why).toBe('slower (regression) but the candidate ran under more load: CPU pressure (PSI some) 5% on the base vs 40% on the candidate: re-run both under the same load');
    expect(applyLoadRule(verdict('regressed'), load(0.4), load(0.05)).change).toBe('regressed');
    expect(applyLoadRule(verdict('improved'), load(0.4), load(0.05)).change).toBe('inconclusive');
    expect(applyLoadRule(verdict('improved'), load(0.05), load(0.4)).change).toBe('improved');
  });

  it('loads within the margin, or not recorded, change nothing', () => {
    expect(applyLoadRule(verdict('regressed'), load(0.05), load(0.14)).change).toBe('regressed');
    expect(applyLoadRule(verdict('regressed'), undefined, load(0.9)).change).toBe('regressed');
    expect(loadDifference(undefined, load(0.9)).text).toBe('host load not recorded on the base side');
  });

  it('falls back to the load average per core without PSI on both sides', () => {
    expect(loadDifference(load(null, 0.2), load(0.5, 0.6))).toEqual({ heavier: 'candidate', text: 'the candidate ran under more load: load average per core 0.20 on the base vs 0.60 on the candidate' });
    expect(loadDifference(load(null, 0.2), load(null, 0.3)).heavier).toBeNull();
    expect(loadDifference(load(null, null), load(null, 0.3)).heavier).toBeNull();
  });
});

const spec = (name: string, better: MetricSpec['better'] = 'lower'): MetricSpec => ({ name, unit: 'ns', better, clock: CLIENT_MONOTONIC, description: name });

/** An ok result carrying `metrics` (summaries are not read by compare), observed with values per round. */
function observed(runId: string, metrics: MetricSpec[], values: Record<string, number[][]>, hostLoad?: HostLoad): Observation {
  const result = {
    schema: 'edgebench/result', schemaVersion: 2, runId, startedAt: '2026-12-02T00:00:00.000Z', endedAt: '2026-12-02T00:00:01.000Z',
    harness: { name: 'edgebench', version: '0', gitCommit: null },
    environment: { host: { cpuModel: 'cpu', cores: 2, kernel: 'k', memoryBytes: 1, os: 'linux', arch: 'x64', nodeVersion: 'v20', hostname: 'h' }, tools: [] },
    suite: 'cold-start', layer: 'process', runtime: 'native', target: { options: {}, simulated: false },
    workload: { name: 'noop', kind: 'native', path: '/x', sha256: '0'.repeat(64), sizeBytes: 1, args: [] },
    parameters: {}, status: 'ok', counts: null, verdicts: [], rawSamples: null,
    metrics: metrics.map((m) => ({ ...m })), ...(hostLoad ? { hostLoad } : {}),
  } as unknown as Result;
  const flat: Record<string, number[]> = {};
  const rounds: Record<string, number[]> = {};
  for (const [k, rs] of Object.entries(values)) {
    flat[k] = rs.flat();
    rounds[k] = rs.flatMap((r, i) => r.map(() => i));
  }
  return { result, values: flat, rounds, source: 'raw-samples' };
}

describe('family-wise control per cell', () => {
  it("splits the 95% over the cell's directed metrics (Bonferroni); a `neither` metric does not count", () => {
    const rng = seededRng(1);
    const names = ['wall', 'user_cpu', 'sys_cpu', 'peak_rss'];
    const ms = [...names.map((n) => spec(n)), spec('offered', 'neither')];
    const vals = (): Record<string, number[][]> => Object.fromEntries(ms.map((m) => [m.name, side(rng, 4, 5, 100, 0.01, 0.02)]));
    const p = comparePair(observed('a', ms, vals()), observed('b', ms, vals()));
    expect(p.metrics.map((m) => m.ci.level)).toEqual(Array(5).fill(1 - 0.05 / 4));
  });

  it('keeps the chance of a false alarm per cell at most ~5% with 6 null metrics (and never above the uncorrected rate)', () => {
    const trials = 40;
    const ms = Array.from({ length: 6 }, (_, i) => spec(`m${i}`));
    let corrected = 0;
    let uncorrected = 0;
    for (let t = 0; t < trials; t++) {
      const rng = seededRng(70_000 + t);
      const vals = (): Record<string, number[][]> => Object.fromEntries(ms.map((m) => [m.name, side(rng, 8, 4, 100, 0.03, 0.03)]));
      const [a, b] = [observed('a', ms, vals()), observed('b', ms, vals())];
      // Minimum effect 0: a pure significance test, where the correction matters most.
      const p = comparePair(a, b, { threshold: 0, seed: t, resamples: 300 });
      if (p.metrics.some((m) => m.change === 'regressed' || m.change === 'improved')) corrected++;
      if (ms.some((m) => ['regressed', 'improved'].includes(compareMetric(a, b, m.name, { threshold: 0, seed: t, resamples: 300 })?.change ?? ''))) uncorrected++;
    }
    expect(corrected / trials).toBeLessThanOrEqual(0.1);
    expect(uncorrected).toBeGreaterThanOrEqual(corrected);
  });

  it("a pair's verdict: regression beats inconclusive beats improvement beats no change", () => {
    const v = (c: MetricComparison['change']): MetricComparison => verdict(c);
    expect(pairVerdict([v('improved'), v('regressed'), v('inconclusive')])).toBe('regression');
    expect(pairVerdict([v('improved'), v('inconclusive')])).toBe('inconclusive');
    expect(pairVerdict([v('improved'), v('no change'), v('changed')])).toBe('improvement');
    expect(pairVerdict([v('no change'), v('changed')])).toBe('no change');
  });
});

describe('the gate with inconclusive pairs', () => {
  const rng = seededRng(11);
  const ms = [spec('wall')];
  const a = observed('a', ms, { wall: side(rng, 8, 5, 100, 0.001, 0.01) });
  const slower = observed('b', ms, { wall: side(rng, 8, 5, 150, 0.001, 0.01) }, load(0.6));
  const quietA = observed('a', ms, { wall: side(rng, 8, 5, 100, 0.001, 0.01) }, load(0.05));

  it('a clear regression under equal load fails (exit 1)', () => {
    const p = comparePair(observed('a', ms, { wall: side(rng, 8, 5, 100, 0.001, 0.01) }, load(0.55)), slower);
    expect(p.verdict).toBe('regression');
    expect(gateOf([p], [], [])).toMatchObject({ verdict: 'regression', exitCode: 1 });
  });

  it('the same change on a more loaded candidate is inconclusive: exit 0 with a reason, or 4 when asked to fail on it', () => {
    const p = comparePair(quietA, slower);
    expect(p.verdict).toBe('inconclusive');
    expect(p.load).toBe('the candidate ran under more load: CPU pressure (PSI some) 5% on the base vs 60% on the candidate');
    const g = gateOf([p], [], []);
    expect(g).toMatchObject({ verdict: 'inconclusive', exitCode: 0 });
    expect(g.reason).toMatch(/^no regression, but 1 comparison\(s\) inconclusive: .*wall \(slower \(regression\) but the candidate ran under more load/);
    expect(gateOf([p], [], [], { failOnInconclusive: true }).exitCode).toBe(4);
    // --ignore-load judges it anyway
    expect(comparePair(quietA, slower, { ignoreLoad: true }).verdict).toBe('regression');
  });
});
