/** The one density ramp of every layer: instances started one by one over a target's Fleet, memory read after each step, host guards, teardown. */
import { deltaNs, nowNs, nsToNumber } from '../../src/core/clock.js';
import type { Sample } from '../../src/core/metric.js';
import { quantileSorted } from '../../src/core/quantile.js';
import { hostMemory, hostTasks, pidMax } from '../../src/host/procfs.js';
import type { Fleet, FleetMemory, FleetStart } from '../../src/targets/fleet.js';
import { errorMessage } from '../../src/util/errors.js';
import type { DensityOutcome, DensityRequest, DensityStep } from './types.js';

/** The host readings the ramp's guards and host delta use (tests pass a fake). */
export interface HostGauge {
  memory(): { used: number; available: number };
  tasks(): number | null;
  pidMax(): number | null;
}

/** The real host, read from /proc. */
export const procHost: HostGauge = { memory: () => hostMemory(), tasks: () => hostTasks(), pidMax: () => pidMax() };

/** What the ramp reads of a density request (the workload is the fleet's business). */
export type RampRequest = Omit<DensityRequest, 'workload'>;

/** How a ramp ended; `reached` is the instance count of the last step. */
export type RampResult = Pick<DensityOutcome, 'steps' | 'reached' | 'failure' | 'stoppedBecause' | 'teardownNs'>;

/** Why the ramp must stop now for the host's sake, or null. */
export function guardReason(minAvailableBytes: number, minFreeTasks: number, avail: number | null, tasks: number | null, max: number | null): string | null {
  if (avail !== null && avail < minAvailableBytes) {
    return `host MemAvailable ${(avail / 2 ** 20).toFixed(0)} MiB fell below the ${(minAvailableBytes / 2 ** 20).toFixed(0)} MiB floor`;
  }
  if (tasks !== null && max !== null && max - tasks < minFreeTasks) {
    return `host task count ${tasks} came within ${minFreeTasks} of kernel.pid_max ${max} (each pod adds a shim with its threads and a pause process)`;
  }
  return null;
}

/** One step from a fleet reading, the host delta and the start latencies of the step's instances. */
export function densityStep(m: FleetMemory, hostDeltaBytes: number, starts: readonly number[], elapsedS: number): DensityStep {
  const sorted = [...starts].sort((a, b) => a - b);
  const n = m.instances;
  return {
    instances: n,
    elapsedS,
    startP50Ns: sorted.length ? quantileSorted(sorted, 0.5) : 0,
    startP90Ns: sorted.length ? quantileSorted(sorted, 0.9) : 0,
    startMaxNs: sorted.at(-1) ?? 0,
    cgroupBytes: m.cgroupBytes,
    pssBytes: m.pssBytes,
    shimPssBytes: m.shimPssBytes,
    hostDeltaBytes,
    processes: m.processes,
    perInstance: n ? { cgroupBytes: m.cgroupBytes / n, pssBytes: (m.pssBytes + m.shimPssBytes) / n, hostDeltaBytes: hostDeltaBytes / n } : { cgroupBytes: 0, pssBytes: 0, hostDeltaBytes: 0 },
    ...(m.newest ? { newest: m.newest } : {}),
  };
}

/**
 * Starts instances up to `req.target`, the first failure, a host guard (MemAvailable floor, task headroom under
 * kernel.pid_max) or an interrupt; reads memory after every `req.step` starts and after the last; stops the fleet
 * whatever happens. Throws when a start is fatal or a reading fails (after stopping the fleet).
 */
export async function densityRamp(req: RampRequest, fleet: Fleet, host: HostGauge = procHost): Promise<RampResult> {
  const steps: DensityStep[] = [];
  const minFreeTasks = req.minFreeTasks ?? 0;
  let failure: string | null = null;
  let stoppedBecause: string | null = null;
  let started = 0;
  let stepStarts: number[] = [];
  const base = host.memory().used;
  const maxTasks = minFreeTasks > 0 ? host.pidMax() : null;
  const t0 = nowNs();
  const measureStep = async (): Promise<void> => {
    const m = await fleet.measure();
    const step = densityStep(m, host.memory().used - base, stepStarts, nsToNumber(deltaNs(t0, nowNs())) / 1e9);
    steps.push(step);
    stepStarts = [];
    req.onStep(step);
  };
  let teardownNs = 0;
  try {
    for (let i = 0; i < req.target; i++) {
      if (req.signal.aborted) {
        stoppedBecause = `interrupted at ${started} instances`;
        break;
      }
      stoppedBecause = guardReason(req.minAvailableBytes, minFreeTasks, host.memory().available, maxTasks === null ? null : host.tasks(), maxTasks);
      if (stoppedBecause) break;
      let r: FleetStart;
      try {
        r = await fleet.start(i);
      } catch (e) {
        r = { ok: false, startNs: 0, values: {}, error: errorMessage(e) };
      }
      const sample: Sample = { index: i, warmup: false, ok: r.ok, values: r.values };
      if (!r.ok) sample.error = r.error ?? 'start failed';
      req.onStart(sample);
      if (!r.ok && r.fatal) throw new Error(sample.error);
      if (!r.ok) {
        failure = `instance ${i + 1} failed to start: ${sample.error}`;
        break;
      }
      started++;
      stepStarts.push(r.startNs);
      if (started % req.step === 0 || started === req.target) await measureStep();
    }
    if (stepStarts.length) await measureStep();
  } finally {
    const td = nowNs();
    await fleet.stopAll();
    teardownNs = nsToNumber(deltaNs(td, nowNs()));
  }
  return { steps, reached: steps.at(-1)?.instances ?? 0, failure, stoppedBecause, teardownNs };
}
