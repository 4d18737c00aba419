/**
 * Direction of "better" comes from each metric's declaration, in compare, history and benchmark-json alike:
 * requests_failed rising 10× is a regression though its unit (requests) is shared with offered load.
 * Also: compare judges on the CI bound, not the point estimate.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import { CLIENT_MONOTONIC } from '../../src/core/clock.js';
import type { Better, MetricSpec, Sample } from '../../src/core/metric.js';
import { compareMetric, comparePair } from '../../src/compare/compare.js';
import { trendOf, type Series } from '../../src/history/trend.js';
import { indexEntry } from '../../src/history/store.js';
import { seriesOf } from '../../src/history/trend.js';
import { benchmarkEntries } from '../../src/output/benchmark-json.js';
import type { Observation } from '../../src/result/observation.js';
import type { Result } from '../../src/result/types.js';
import { resultProblems } from '../../src/result/validate.js';

const spec = (name: string, unit: MetricSpec['unit'], better: Better): MetricSpec => ({ name, unit, better, clock: CLIENT_MONOTONIC, description: name });

/** A valid ok result whose metrics are analysed from `values`, with those values as an observation. */
function obs(runId: string, specs: MetricSpec[], values: Record<string, number[]>): Observation {
  const n = Math.max(...Object.values(values).map((v) => v.length));
  const samples: Sample[] = Array.from({ length: n }, (_, i) => ({ index: i, warmup: false, ok: true, values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v[i] as number])) }));
  const a = analyze(specs, samples, { bootstrap: { seed: 1, resamples: 500 } });
  const result: Result = {
    schema: 'edgebench/result', schemaVersion: 2, runId, startedAt: '2026-12-01T00:00:00.000Z', endedAt: '2026-12-01T00:00:01.000Z',
    harness: { name: 'edgebench', version: '0', gitCommit: null },
    environment: { host: { cpuModel: 'cpu', cores: 2, kernel: 'k', memoryBytes: 1, os: 'linux', arch: 'x64', nodeVersion: 'v20', hostname: 'h' }, tools: [] },
    suite: 'hot-update', layer: 'kube', runtime: 'runc', target: { options: {}, simulated: false },
    workload: { name: 'http', kind: 'native', path: '/x', sha256: '0'.repeat(64), sizeBytes: 1, args: [] },
    parameters: {}, status: 'ok', counts: a.counts, metrics: a.metrics, verdicts: [], rawSamples: null,
  };
  expect(resultProblems(result)).toBeNull();
  return { result, values, source: 'raw-samples' };
}

const ramp = (from: number, n = 30): number[] => Array.from({ length: n }, (_, i) => from + (i % 5));
const HOT = [spec('requests_failed', 'requests', 'lower'), spec('requests_sent', 'requests', 'neither'), spec('rollout', 'ns', 'lower'), spec('throughput', 'requests', 'higher')];

describe('direction of better, per declared metric', () => {
  const base = obs('a', HOT, { requests_failed: ramp(10), requests_sent: ramp(1000), rollout: ramp(1e9), throughput: ramp(500) });
  const worse = obs('b', HOT, { requests_failed: ramp(100), requests_sent: ramp(2000), rollout: ramp(1e9), throughput: ramp(250) });

  it('compare: 10× more failed requests is a regression; more offered load is only "changed"; less throughput is worse', () => {
    const p = comparePair(base, worse);
    const by = Object.fromEntries(p.metrics.map((m) => [m.metric, m]));
    expect(by['requests_failed']).toMatchObject({ better: 'lower', change: 'regressed', word: 'worse' });
    expect(by['requests_sent']).toMatchObject({ better: 'neither', change: 'changed', word: 'higher' });
    expect(by['throughput']).toMatchObject({ better: 'higher', change: 'regressed', word: 'worse' });
    expect(by['rollout']?.change).toBe('no change');
    // and the other way round
    const back = Object.fromEntries(comparePair(worse, base).metrics.map((m) => [m.metric, m.change]));
    expect(back).toMatchObject({ requests_failed: 'improved', requests_sent: 'changed', throughput: 'improved' });
  });

  it('compare: bytes are lower-is-better (more memory is a regression)', () => {
    const m = [spec('pss_bytes', 'bytes', 'lower')];
    const c = compareMetric(obs('a', m, { pss_bytes: ramp(2_000_000) }), obs('b', m, { pss_bytes: ramp(4_000_000) }), 'pss_bytes');
    expect(c).toMatchObject({ better: 'lower', change: 'regressed', word: 'worse' });
  });

  it('compare: a regression needs the whole CI past the threshold, not just the point estimate', () => {
    const m = [spec('wall', 'ns', 'lower')];
    // Candidate median 8 % slower, but spread so wide that the CI's low end is below 1.05.
    const a = obs('a', m, { wall: Array.from({ length: 41 }, (_, i) => 1000 + i * 40) });
    const b = obs('b', m, { wall: Array.from({ length: 41 }, (_, i) => 1080 + i * 40).map((v, i) => (i % 2 ? v - 500 : v + 500)) });
    const c = compareMetric(a, b, 'wall', { threshold: 0.05 });
    expect(c?.ratio).toBeGreaterThan(1.05);
    expect(c?.ci.low).toBeLessThan(1.05);
    // Not a regression; the CI straddles the threshold, so it cannot be called "no change" either.
    expect(c?.change).toBe('inconclusive');
    expect(c?.why).toMatch(/straddles the ±5% minimum effect/);
  });

  it('history: a jump in failed requests is a regression; a jump in offered load is not', () => {
    const runs = Array.from({ length: 12 }, (_, i) => `r${String(i).padStart(2, '0')}`).map((id, i) =>
      indexEntry(id, [obs(id, HOT, { requests_failed: ramp(i < 6 ? 10 : 100), requests_sent: ramp(i < 6 ? 1000 : 2000), rollout: ramp(1e9), throughput: ramp(500) }).result], `2026-12-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`),
    );
    const series = seriesOf(runs);
    const t = (metric: string): ReturnType<typeof trendOf> => trendOf(series.find((s) => s.metric === metric) as Series);
    expect(t('requests_failed').better).toBe('lower');
    expect(t('requests_failed').changePoints.length).toBeGreaterThan(0);
    expect(t('requests_failed').regressions.length).toBe(t('requests_failed').changePoints.length);
    expect(t('requests_sent').changePoints.length).toBeGreaterThan(0);
    expect(t('requests_sent').regressions).toEqual([]);
  });

  it('benchmark-json: failed requests go to customSmallerIsBetter, throughput to bigger, offered load to neither', () => {
    const smaller = benchmarkEntries([base], 'smaller').map((e) => e.name.split(' ').at(-2));
    const bigger = benchmarkEntries([base], 'bigger').map((e) => e.name.split(' ').at(-2));
    expect(smaller.sort()).toEqual(['requests_failed', 'rollout']);
    expect(bigger).toEqual(['throughput']);
  });
});
