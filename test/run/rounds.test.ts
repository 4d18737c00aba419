/**
 * Runs take their cells in interleaved rounds (A B A B …): the order of measurement, what the result and the raw
 * samples record of the rounds, interruption mid-way, and the host-load meter behind `hostLoad`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_MONOTONIC } from '../../src/core/clock.js';
import type { MetricSpec } from '../../src/core/metric.js';
import { PressureMeter, parsePsiSomeTotal, readPressure, type PressureReading } from '../../src/host/pressure.js';
import { observationOf } from '../../src/result/load-observations.js';
import { readRawSamples } from '../../src/result/raw-samples.js';
import { roundPlans, splitOverRounds, type CellSpec } from '../../src/run/cell.js';
import { defaultRounds, runInterleaved } from '../../src/run/interleave.js';
import { registerSuite, type Suite } from '../../src/run/suite.js';
import '../../src/targets/index.js';

const WALL: MetricSpec = { name: 'wall', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'fake' };
const order: string[] = [];

/** A suite that measures nothing real: it logs each call and records `samples` fake values. */
function fakeSuite(name: string, rounds: boolean): Suite {
  return {
    name, description: 'test', defaultFixture: 'noop', rounds, unsupported: () => null,
    async measure(ctx) {
      order.push(`${name}:${ctx.target.runtime}:${ctx.params.samples}+${ctx.params.warmup}`);
      for (let i = 0; i < ctx.params.warmup + ctx.params.samples; i++) ctx.record({ index: i, warmup: i < ctx.params.warmup, ok: true, values: { wall: 1000 + i } });
      return { metrics: [WALL] };
    },
  };
}
const ROUNDS = fakeSuite('test-rounds', true);
const WHOLE = fakeSuite('test-whole', false);
registerSuite(ROUNDS);
registerSuite(WHOLE);

/** Specs for the native and node-wasi cells of `suite`. */
function specs(suite: Suite, outDir: string, signal: AbortSignal, samples = 6, warmup = 3, rounds = 3): CellSpec[] {
  return ['native', 'node-wasi'].map((runtime) => ({
    suite, layer: 'process', runtime, workload: 'noop', args: [], runId: 'r1', outDir, signal,
    params: { samples, warmup, maxFailureRatio: 0.1, seed: 1, rounds, extra: {} },
  }));
}

describe('rounds', () => {
  it('splits samples and warm-up evenly, earlier rounds first, never more rounds than samples', () => {
    expect(splitOverRounds(10, 3)).toEqual([4, 3, 3]);
    expect(splitOverRounds(2, 3)).toEqual([1, 1, 0]);
    expect(roundPlans({ samples: 100, warmup: 10 }, 10).every((p) => p.samples === 10 && p.warmup === 1)).toBe(true);
    expect(roundPlans({ samples: 3, warmup: 0 }, 10)).toEqual([{ round: 0, samples: 1, warmup: 0 }, { round: 1, samples: 1, warmup: 0 }, { round: 2, samples: 1, warmup: 0 }]);
    expect(defaultRounds('process')).toBe(10);
    expect(defaultRounds('kube')).toBe(1);
  });

  it('measures the cells in turns (A B A B A B) and records the rounds in the result and the raw samples', async () => {
    order.length = 0;
    const out = mkdtempSync(join(tmpdir(), 'eb-rounds-'));
    const outcomes = await runInterleaved(specs(ROUNDS, out, new AbortController().signal));
    expect(order).toEqual(['native', 'node-wasi', 'native', 'node-wasi', 'native', 'node-wasi'].map((r) => `test-rounds:${r}:2+1`));
    for (const o of outcomes) {
      expect(o.result.status).toBe('ok');
      expect(o.result.counts).toMatchObject({ total: 9, warmup: 3, measured: 6 });
      expect(o.result.rounds).toEqual({ count: 3, interleavedCells: 2, samplesPerRound: [2, 2, 2] });
      expect(o.result.hostLoad?.spanNs).toBeGreaterThan(0);
      const raw = readRawSamples(join(out, o.result.rawSamples?.path ?? ''));
      expect(raw.samples.map((s) => s.round)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
      // Indexes run on across rounds: one attempt, one index.
      expect(raw.samples.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      expect(observationOf(o.result, o.path).rounds?.['wall']).toEqual([0, 0, 1, 1, 2, 2]);
    }
  });

  it('measures a suite that cannot be split whole, in one round', async () => {
    order.length = 0;
    const outcomes = await runInterleaved(specs(WHOLE, mkdtempSync(join(tmpdir(), 'eb-rounds-')), new AbortController().signal));
    expect(order).toEqual(['test-whole:native:6+3', 'test-whole:node-wasi:6+3']);
    expect(outcomes.map((o) => o.result.rounds)).toEqual([{ count: 1, interleavedCells: 1, samplesPerRound: [6] }, { count: 1, interleavedCells: 1, samplesPerRound: [6] }]);
  });

  it('an interrupt between rounds writes every opened cell as interrupted, with the samples taken so far', async () => {
    order.length = 0;
    const ac = new AbortController();
    const s = specs(ROUNDS, mkdtempSync(join(tmpdir(), 'eb-rounds-')), ac.signal);
    for (const x of s) x.onSample = (_s, done) => { if (x.runtime === 'node-wasi' && done === 3) ac.abort(); };
    const outcomes = await runInterleaved(s);
    expect(order).toEqual(['test-rounds:native:2+1', 'test-rounds:node-wasi:2+1']);
    expect(outcomes.map((o) => [o.result.status, o.result.reason])).toEqual([
      ['invalid', 'interrupted after 3 of 9 attempts (raw samples kept)'],
      ['invalid', 'interrupted after 3 of 9 attempts (raw samples kept)'],
    ]);
  });
});

describe('host load meter', () => {
  it('sums PSI stall over its spans only, and averages the load average per core', () => {
    const readings: PressureReading[] = [
      { atNs: 0n, someTotalUs: 1000n, loadavg1: 1 },
      { atNs: 1_000_000_000n, someTotalUs: 201_000n, loadavg1: 1 }, // 0.2 s stalled in 1 s
      { atNs: 5_000_000_000n, someTotalUs: 9_000_000n, loadavg1: 3 }, // between spans: not counted
      { atNs: 6_000_000_000n, someTotalUs: 9_600_000n, loadavg1: 3 }, // 0.6 s stalled in 1 s
    ];
    const m = new PressureMeter(() => readings.shift() as PressureReading, 2);
    expect(m.result()).toBeNull();
    m.start(); m.stop(); m.start(); m.stop();
    expect(m.result()).toEqual({ source: 'psi-cpu-some', cpuSomeRatio: 0.4, loadavgPerCore: 1, spanNs: 2e9, cores: 2 });
  });

  it('reads a PSI file and falls back to the load average without one', () => {
    expect(parsePsiSomeTotal('some avg10=0.04 avg60=4.08 avg300=11.70 total=3606408487\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n', 'x')).toBe(3606408487n);
    expect(() => parsePsiSomeTotal('full total=1', '/proc/pressure/cpu')).toThrow(/\/proc\/pressure\/cpu: no "some … total=" line/);
    const proc = mkdtempSync(join(tmpdir(), 'eb-proc-'));
    writeFileSync(join(proc, 'loadavg'), '1.50 1.00 0.50 2/300 4000\n');
    const noPsi = readPressure(proc);
    expect(noPsi).toMatchObject({ someTotalUs: null, loadavg1: 1.5 });
    mkdirSync(join(proc, 'pressure'));
    writeFileSync(join(proc, 'pressure', 'cpu'), 'some avg10=0.00 avg60=0.00 avg300=0.00 total=42\n');
    expect(readPressure(proc).someTotalUs).toBe(42n);
    let t = 0n;
    const m = new PressureMeter(() => ({ ...noPsi, atNs: (t += 1000n) }), 2);
    m.start(); m.stop();
    expect(m.result()).toMatchObject({ source: 'loadavg', cpuSomeRatio: null, loadavgPerCore: 0.75 });
  });
});
