/** runDensity: a target's fleet opened, ramped and closed once whatever happens; its metrics and notes; the task guard it asks for. */
import { describe, expect, it } from 'vitest';
import type { MetricSpec } from '../../src/core/metric.js';
import { CLIENT_MONOTONIC } from '../../src/core/clock.js';
import type { FleetMemory, FleetSession, FleetStart } from '../../src/targets/fleet.js';
import type { Target } from '../../src/targets/target.js';
import { noFleet, runDensity } from '../../suites/density/run.js';
import type { HostGauge } from '../../suites/density/ramp.js';
import type { DensityRequest } from '../../suites/density/types.js';
import { resolveWorkload } from '../../src/fixtures/workload.js';

const MiB = 2 ** 20;
const METRIC: MetricSpec = { name: 'start', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'd' };

/** A fleet session that records its lifecycle; instance `fatalAt` starts but cannot be measured. */
function fakeSession(log: string[], over: { minFreeTasks?: number; fatalAt?: number } = {}): FleetSession & { live: number } {
  const s = {
    live: 0,
    ...(over.minFreeTasks !== undefined ? { minFreeTasks: over.minFreeTasks } : {}),
    start(i: number): Promise<FleetStart> {
      if (i === over.fatalAt) return Promise.resolve({ ok: false, startNs: 0, values: {}, error: 'memory unreadable', fatal: true });
      s.live++;
      return Promise.resolve({ ok: true, startNs: 1000, values: { start: 1000 } });
    },
    measure(): Promise<FleetMemory> {
      return Promise.resolve({ instances: s.live, cgroupBytes: s.live * MiB, pssBytes: s.live * MiB, shimPssBytes: 0, processes: s.live });
    },
    stopAll(): Promise<void> {
      log.push(`stop ${s.live}`);
      s.live = 0;
      return Promise.resolve();
    },
    metrics: () => [METRIC],
    close(): Promise<string[]> {
      log.push('close');
      return Promise.resolve(['fleet note']);
    },
  };
  return s;
}

/** A target whose fleet() hands out `session`. */
function fakeTarget(session: FleetSession | null, log: string[]): Target {
  const t: Target = { layer: 'oci', runtime: 'fake', description: 'fake', accepts: ['native'], probe: () => Promise.resolve({ available: true, tools: [] }) };
  if (session) {
    t.fleet = (w) => {
      log.push(`open ${w.name}`);
      return Promise.resolve(session);
    };
  }
  return t;
}

/** A host with plenty of memory; 10 tasks per live instance of `s`, kernel.pid_max 1100 over 1000 tasks. */
const host = (s: { live: number }): HostGauge => ({ memory: () => ({ used: 0, available: 64 * 2 ** 30 }), tasks: () => 1000 + s.live * 10, pidMax: () => 1100 });

const request = (over: Partial<DensityRequest> = {}): DensityRequest => ({
  workload: resolveWorkload('serve', 'native'), target: 6, step: 2, minAvailableBytes: 2 * 2 ** 30, onStart: () => undefined, onStep: () => undefined, signal: new AbortController().signal, ...over,
});

describe('runDensity', () => {
  it('opens the fleet, ramps, stops and closes it once; metrics and notes are the fleet’s', async () => {
    const log: string[] = [];
    const s = fakeSession(log);
    const out = await runDensity(fakeTarget(s, log), request(), host(s));
    expect(log).toEqual(['open serve', 'stop 6', 'close']);
    expect(out).toMatchObject({ reached: 6, failure: null, stoppedBecause: null, metrics: [METRIC], notes: ['fleet note'] });
    expect(out.steps.map((x) => x.instances)).toEqual([2, 4, 6]);
  });

  it('keeps the task headroom the fleet asks for and notes the guards', async () => {
    const log: string[] = [];
    const s = fakeSession(log, { minFreeTasks: 55 });
    const out = await runDensity(fakeTarget(s, log), request(), host(s));
    expect(out.reached).toBe(5);
    expect(out.stoppedBecause).toMatch(/task count 1050 came within 55 of kernel.pid_max 1100/);
    expect(out.notes).toEqual(['fleet note', 'guards: MemAvailable floor 2048 MiB; at least 55 task slots below kernel.pid_max']);
  });

  it('a fatal start fails the run after the fleet is stopped and closed', async () => {
    const log: string[] = [];
    const s = fakeSession(log, { fatalAt: 3 });
    await expect(runDensity(fakeTarget(s, log), request(), host(s))).rejects.toThrow('memory unreadable');
    expect(log).toEqual(['open serve', 'stop 3', 'close']);
  });

  it('a target without a fleet says so', async () => {
    const t = fakeTarget(null, []);
    expect(noFleet(t)).toBe('runtime fake at layer oci cannot start long-running instances');
    await expect(runDensity(t, request())).rejects.toThrow('cannot start long-running instances');
  });
});
