import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import type { MetricSpec, Sample } from '../../src/core/metric.js';
import { resolveWorkload } from '../../src/fixtures/workload.js';
import '../../src/targets/index.js';
import { createTarget } from '../../src/targets/registry.js';

async function coldStart(runtime: string, fixture: string, args: string[], samples: number, warmup = 2): Promise<{ samples: Sample[]; metrics: MetricSpec[] }> {
  const t = createTarget(runtime === 'node-wasi-inproc' ? 'embedded' : 'process', runtime);
  const w = resolveWorkload(fixture, t.accepts.includes('wasm') ? 'wasm' : 'native', args);
  const out: Sample[] = [];
  const metrics = (await t.coldStart?.({ workload: w, samples, warmup, onSample: (s) => out.push(s), signal: new AbortController().signal })) ?? [];
  return { samples: out, metrics };
}

describe('process- and embedded-layer timing', () => {
  it('measures a native program that sleeps 20 ms within tolerance', async () => {
    const { samples, metrics } = await coldStart('native', 'sleep', ['20'], 15);
    const a = analyze(metrics, samples);
    const wall = a.metrics.find((m) => m.name === 'wall');
    expect(wall?.summary.count).toBe(15);
    expect(wall?.summary.min).toBeGreaterThanOrEqual(20e6); // never shorter than the sleep
    expect(wall?.summary.p50).toBeLessThan(20e6 + 5e6); // fork/exec + timer slack on a busy 2-core VM
  });

  it('measures the same sleep in Wasm under node:wasi in-process, phase by phase', async () => {
    const { samples, metrics } = await coldStart('node-wasi-inproc', 'sleep', ['20'], 5, 1);
    const a = analyze(metrics, samples);
    const get = (n: string): number => a.metrics.find((m) => m.name === n)?.summary.p50 ?? Number.NaN;
    expect(get('start')).toBeGreaterThanOrEqual(20e6);
    expect(get('start')).toBeLessThan(40e6);
    expect(samples.filter((s) => !s.warmup)).toHaveLength(5);
    for (const s of samples) {
      expect(s.ok).toBe(true);
      const v = s.values;
      // Every phase is there and took time: a missing one must fail here, not count as 0 in the sum below.
      for (const phase of ['read', 'compile', 'instantiate', 'start', 'wall']) {
        expect(v[phase], `${phase} of sample ${s.index}`).toBeDefined();
        expect(v[phase], `${phase} of sample ${s.index}`).toBeGreaterThan(0);
      }
      const sum = v['read']! + v['compile']! + v['instantiate']! + v['start']!;
      expect(Math.abs(sum - v['wall']!)).toBeLessThan(1000); // phases partition the wall time
    }
  });

  it('counts failing starts as failed samples and invalidates the run', async () => {
    const { samples, metrics } = await coldStart('native', 'fail', ['3'], 10, 0);
    expect(samples.filter((s) => !s.ok)).toHaveLength(10);
    expect(samples[0]?.error).toBe('exit code 3');
    expect(analyze(metrics, samples)).toMatchObject({ status: 'invalid', reason: 'all 10 measured samples failed' });
  });

  it('records peak RSS that grows with what the program touches', async () => {
    const small = await coldStart('native', 'alloc', ['1'], 3, 0);
    const big = await coldStart('native', 'alloc', ['64'], 3, 0);
    const rss = (r: { samples: Sample[] }): number => {
      expect(r.samples).toHaveLength(3);
      const v = r.samples.map((s) => s.values['peak_rss']);
      for (const x of v) expect(x).toBeGreaterThan(0); // present and real: a missing one is no 0 kB
      return Math.min(...(v as number[]));
    };
    expect(rss(big) - rss(small)).toBeGreaterThan(60 * 1024 * 1024);
  });
});
