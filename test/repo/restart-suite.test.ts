// Adding a suite without touching src/targets/target.ts or the CLI (issue 15, "Must show"; docs/architecture.md,
// "Adding a suite"): a `restart` suite — stop a running instance and start it again — written only against the
// suite interface (src/run/suite.ts) and the fleet driver every long-running layer already offers
// (src/targets/fleet.ts). The suite below is what suites/restart/index.ts would hold, plus one import line in
// suites/index.ts; here it is registered in the test process and driven through a fake target's fleet.
import { describe, expect, it } from 'vitest';
import { CLIENT_MONOTONIC, elapsedNs, nowNs } from '../../src/core/clock.js';
import type { MetricSpec, Sample } from '../../src/core/metric.js';
import type { Workload } from '../../src/result/types.js';
import { getSuite, type MeasureContext, type MeasureOutcome, registerSuite, type Suite } from '../../src/run/suite.js';
import type { FleetSession, FleetStart } from '../../src/targets/fleet.js';
import type { Target } from '../../src/targets/target.js';

// ---- suites/restart/index.ts (≈45 lines) ----
const RESTART_METRICS: MetricSpec[] = [
  { name: 'stop', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'stop request → the running instance is gone' },
  { name: 'start', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: "start request → the new instance is ready (the fleet's start latency)" },
  { name: 'restart', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'stop + start of one instance' },
];

const restart: Suite = {
  name: 'restart',
  description: 'stop a running instance and start it again, per restart (a fleet of one long-running instance)',
  defaultFixture: 'serve',
  unsupported: (t) => (t.fleet ? null : `runtime ${t.runtime} at layer ${t.layer} cannot start long-running instances`),
  async measure(ctx: MeasureContext): Promise<MeasureOutcome> {
    if (!ctx.target.fleet) throw new Error('unsupported');
    const fleet = await ctx.target.fleet(ctx.workload);
    const notes: string[] = [];
    try {
      const first = await fleet.start(0);
      if (!first.ok) return { metrics: RESTART_METRICS, notMeasured: `the instance to restart did not start: ${first.error ?? 'no reason given'}` };
      const attempts = ctx.params.warmup + ctx.params.samples;
      for (let index = 0; index < attempts && !ctx.signal.aborted; index++) {
        const t0 = nowNs();
        await fleet.stopAll();
        const stop = elapsedNs(t0);
        const s: FleetStart = await fleet.start(0).catch((e: unknown) => ({ ok: false, startNs: 0, values: {}, error: String(e) }));
        const sample: Sample = {
          index,
          warmup: index < ctx.params.warmup,
          ok: s.ok,
          values: s.ok ? { stop, start: s.startNs, restart: stop + s.startNs } : { stop },
        };
        ctx.record(s.error ? { ...sample, error: s.error } : sample);
        if (s.fatal || !s.ok) break; // nothing left running to restart
      }
    } finally {
      notes.push(...(await fleet.close()));
    }
    return { metrics: RESTART_METRICS, notes };
  },
};
registerSuite(restart);
// ---- end of suites/restart/index.ts ----

function fakeTarget(opts: { failStartAt?: number } = {}): { target: Target; log: string[] } {
  const log: string[] = [];
  let starts = 0;
  const session: FleetSession = {
    async start(index): Promise<FleetStart> {
      starts++;
      log.push(`start ${index}`);
      if (starts === opts.failStartAt) return { ok: false, startNs: 0, values: {}, error: 'no memory' };
      return { ok: true, startNs: 2_000_000, values: { start: 2_000_000 } };
    },
    async measure() {
      return { instances: 1, cgroupBytes: 1, pssBytes: 1, shimPssBytes: 0, processes: 1 };
    },
    async stopAll() {
      log.push('stop');
    },
    metrics: () => [],
    async close() {
      log.push('close');
      return ['fake fleet closed'];
    },
  };
  const target: Target = {
    layer: 'oci',
    runtime: 'fake',
    description: 'a fake long-running runtime',
    accepts: ['wasm'],
    probe: async () => ({ available: true, tools: [] }),
    fleet: async () => session,
  };
  return { target, log };
}

const workload = { kind: 'wasm', name: 'serve' } as unknown as Workload;
const params = { samples: 3, warmup: 1, maxFailureRatio: 0, seed: 1, extra: {} };

describe('a restart suite added in one file', () => {
  it('registers by name and runs on any target with a fleet, without a new Target method', async () => {
    const suite = getSuite('restart');
    expect(suite).toBe(restart);
    const { target, log } = fakeTarget();
    expect(suite?.unsupported(target)).toBeNull();
    const samples: Sample[] = [];
    const out = await restart.measure({ target, workload, params, record: (s) => samples.push(s), signal: new AbortController().signal });
    expect(samples.map((s) => [s.index, s.warmup, s.ok])).toEqual([
      [0, true, true],
      [1, false, true],
      [2, false, true],
      [3, false, true],
    ]);
    expect(samples.every((s) => s.values['restart'] === (s.values['stop'] ?? 0) + 2_000_000)).toBe(true);
    expect(log).toEqual(['start 0', 'stop', 'start 0', 'stop', 'start 0', 'stop', 'start 0', 'stop', 'start 0', 'close']);
    expect(out.notes).toEqual(['fake fleet closed']);
    expect(out.metrics.map((m) => m.name)).toEqual(['stop', 'start', 'restart']);
  });

  it('stops at a failed start, closes the fleet, and says why a target without a fleet is not measured', async () => {
    const { target, log } = fakeTarget({ failStartAt: 3 });
    const samples: Sample[] = [];
    await restart.measure({ target, workload, params, record: (s) => samples.push(s), signal: new AbortController().signal });
    expect(samples.map((s) => s.ok)).toEqual([true, false]);
    expect(samples[1]?.error).toBe('no memory');
    expect(log.at(-1)).toBe('close');
    const { fleet: _, ...noFleet } = target;
    expect(restart.unsupported(noFleet)).toBe('runtime fake at layer oci cannot start long-running instances');
  });
});
