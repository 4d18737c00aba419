/** The shared density ramp over a fake fleet and a fake host: steps taken, stop reasons, per-instance figures, teardown. */
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/core/metric.js';
import type { Fleet, FleetStart } from '../../src/targets/fleet.js';
import { densityRamp, densityStep, type HostGauge, type RampRequest } from '../../suites/density/ramp.js';
import type { DensityStep } from '../../suites/density/types.js';

const MiB = 2 ** 20;

/** A fleet whose instance i starts in (i+1) µs and holds 10 MiB cgroup, 4 MiB PSS, 1 MiB shim PSS and 2 processes. */
class FakeFleet implements Fleet {
  live = 0;
  stops = 0;
  constructor(private readonly failAt: Record<number, Partial<FleetStart> | Error> = {}) {}
  start(i: number): Promise<FleetStart> {
    const f = this.failAt[i];
    if (f instanceof Error) return Promise.reject(f);
    if (f) return Promise.resolve({ ok: false, startNs: 0, values: {}, ...f });
    this.live++;
    return Promise.resolve({ ok: true, startNs: (i + 1) * 1000, values: { start: (i + 1) * 1000 } });
  }
  measure(): Promise<{ instances: number; cgroupBytes: number; pssBytes: number; shimPssBytes: number; processes: number; newest: DensityStep['newest'] }> {
    const n = this.live;
    return Promise.resolve({ instances: n, cgroupBytes: n * 10 * MiB, pssBytes: n * 4 * MiB, shimPssBytes: n * MiB, processes: 2 * n, newest: { cgroupBytes: 10 * MiB, pssBytes: 4 * MiB, shimPssBytes: MiB } });
  }
  stopAll(): Promise<void> {
    this.stops++;
    this.live = 0;
    return Promise.resolve();
  }
}

/** A host of 8 GiB with 1 GiB used before the ramp; each live instance uses 20 MiB more and 10 tasks. */
function fakeHost(fleet: FakeFleet): HostGauge {
  return {
    memory: () => ({ used: 2 ** 30 + fleet.live * 20 * MiB, available: 7 * 2 ** 30 - fleet.live * 20 * MiB }),
    tasks: () => 1000 + fleet.live * 10,
    pidMax: () => 1100,
  };
}

/** Runs a ramp; returns what it reported through its callbacks too. */
async function ramp(fleet: FakeFleet, over: Partial<RampRequest> = {}): Promise<{ out: Awaited<ReturnType<typeof densityRamp>>; samples: Sample[]; onSteps: DensityStep[] }> {
  const samples: Sample[] = [];
  const onSteps: DensityStep[] = [];
  const req: RampRequest = { target: 7, step: 3, minAvailableBytes: 0, onStart: (s) => samples.push(s), onStep: (s) => onSteps.push(s), signal: new AbortController().signal, ...over };
  const out = await densityRamp(req, fleet, fakeHost(fleet));
  return { out, samples, onSteps };
}

describe('density ramp (shared by oci and cri)', () => {
  it('reaches the target in steps, the last one short, with per-instance figures and one teardown', async () => {
    const fleet = new FakeFleet();
    const { out, samples, onSteps } = await ramp(fleet);
    expect([out.reached, out.failure, out.stoppedBecause]).toEqual([7, null, null]);
    expect(out.steps.map((s) => s.instances)).toEqual([3, 6, 7]);
    expect(onSteps).toEqual(out.steps);
    const [first, , last] = out.steps as [DensityStep, DensityStep, DensityStep];
    expect([first.startP50Ns, first.startMaxNs]).toEqual([2000, 3000]);
    expect([last.startP50Ns, last.startP90Ns, last.startMaxNs]).toEqual([7000, 7000, 7000]);
    expect(last).toMatchObject({ cgroupBytes: 70 * MiB, pssBytes: 28 * MiB, shimPssBytes: 7 * MiB, processes: 14, hostDeltaBytes: 140 * MiB });
    expect(last.perInstance).toEqual({ cgroupBytes: 10 * MiB, pssBytes: 5 * MiB, hostDeltaBytes: 20 * MiB });
    expect(last.newest).toEqual({ cgroupBytes: 10 * MiB, pssBytes: 4 * MiB, shimPssBytes: MiB });
    expect(samples.map((s) => [s.index, s.ok, s.values['start']])).toEqual([1, 2, 3, 4, 5, 6, 7].map((k) => [k - 1, true, k * 1000]));
    expect(fleet.stops).toBe(1);
  });

  it('stops at the first failed start: the failure names it, the instances before it are measured', async () => {
    const fleet = new FakeFleet({ 4: { error: 'boom' } });
    const { out, samples } = await ramp(fleet);
    expect([out.reached, out.failure, out.stoppedBecause]).toEqual([4, 'instance 5 failed to start: boom', null]);
    expect(out.steps.map((s) => s.instances)).toEqual([3, 4]);
    expect(samples.at(-1)).toEqual({ index: 4, warmup: false, ok: false, values: {}, error: 'boom' });
    expect(fleet.stops).toBe(1);
  });

  it('a start that throws is a failed start with the message', async () => {
    const fleet = new FakeFleet({ 0: new Error('no runtime') });
    const { out } = await ramp(fleet);
    expect([out.reached, out.failure, out.steps]).toEqual([0, 'instance 1 failed to start: no runtime', []]);
  });

  it('a fatal start is recorded as a failed sample, then fails the ramp after teardown', async () => {
    const fleet = new FakeFleet({ 2: { error: 'memory of pod 3 unreadable', fatal: true, values: { pod_start: 5 } } });
    const samples: Sample[] = [];
    await expect(ramp(fleet, { onStart: (s) => samples.push(s) })).rejects.toThrow('memory of pod 3 unreadable');
    expect(samples.at(-1)).toMatchObject({ index: 2, ok: false, values: { pod_start: 5 }, error: 'memory of pod 3 unreadable' });
    expect(fleet.stops).toBe(1);
  });

  it('a failed memory reading fails the ramp after teardown (never 0 bytes)', async () => {
    const fleet = new FakeFleet();
    fleet.measure = () => Promise.reject(new Error('pss of pid 7 unreadable: process gone'));
    await expect(ramp(fleet)).rejects.toThrow('pss of pid 7 unreadable');
    expect(fleet.stops).toBe(1);
  });

  it('stops before the MemAvailable floor, saying so', async () => {
    const fleet = new FakeFleet();
    // 7 GiB − 4 × 20 MiB = 7088 MiB left after 4 instances: a 7100 MiB floor stops the 5th start.
    const { out } = await ramp(fleet, { minAvailableBytes: 7100 * MiB });
    expect([out.reached, out.failure]).toEqual([4, null]);
    expect(out.stoppedBecause).toBe('host MemAvailable 7088 MiB fell below the 7100 MiB floor');
    expect(out.steps.map((s) => s.instances)).toEqual([3, 4]);
  });

  it('stops before the task headroom under kernel.pid_max runs out, and only when asked to', async () => {
    const guarded = await ramp(new FakeFleet(), { minFreeTasks: 45 });
    // pid_max 1100 − (1000 + 10 per instance) < 45 once 6 instances run.
    expect(guarded.out.reached).toBe(6);
    expect(guarded.out.stoppedBecause).toMatch(/^host task count 1060 came within 45 of kernel.pid_max 1100/);
    expect((await ramp(new FakeFleet())).out.reached).toBe(7);
  });

  it('an interrupt stops the ramp where it is and still measures and tears down', async () => {
    const fleet = new FakeFleet();
    const ac = new AbortController();
    const { out } = await ramp(fleet, { signal: ac.signal, onStart: (s) => s.index === 1 && ac.abort() });
    expect([out.reached, out.failure, out.stoppedBecause]).toEqual([2, null, 'interrupted at 2 instances']);
    expect(out.steps.map((s) => s.instances)).toEqual([2]);
    expect(fleet.stops).toBe(1);
  });
});

describe('densityStep', () => {
  it('per-instance figures are 0 (not NaN) for a reading of no instance', () => {
    const s = densityStep({ instances: 0, cgroupBytes: 0, pssBytes: 0, shimPssBytes: 0, processes: 0 }, 5 * MiB, [], 1);
    expect(s.perInstance).toEqual({ cgroupBytes: 0, pssBytes: 0, hostDeltaBytes: 0 });
    expect([s.startP50Ns, s.startMaxNs, s.newest]).toEqual([0, 0, undefined]);
  });
});
