/** The density ramp shared by every oci driver: start instances one by one, measure memory after each step, always tear down. */
import { CLIENT_MONOTONIC, deltaNs, nowNs, nsToNumber, type ClockInfo } from '../../core/clock.js';
import type { MetricSpec, Sample } from '../../core/metric.js';
import { quantileSorted } from '../../core/quantile.js';
import { errorMessage } from '../../util/errors.js';
import type { DensityOutcome, DensityRequest, DensityStep } from '../density.js';
import { hostMemory } from '../../host/procfs.js';
import { snapshot, type ContainerHandle } from './memory.js';

/** One start as a driver reports it. */
export interface FleetStart {
  ok: boolean;
  /** Request to running (create + start, or the CLI round trip), ns. */
  startNs: number;
  createNs?: number;
  pid?: number;
  error?: string;
}

/** A driver's way to start and stop long-running containers. */
export interface Fleet {
  /** Clock of startNs (helper's CLOCK_MONOTONIC or the client's around a CLI call). */
  clock: ClockInfo;
  start(id: string): Promise<FleetStart>;
  /** Host pids of started containers that start() could not tell (looked up once per step). */
  resolvePids?(ids: string[]): Promise<Map<string, number>>;
  /** Removes every container started; resolves when they are gone. */
  stopAll(): Promise<void>;
}

/** Metrics a density ramp records per start. */
export function densityMetrics(clock: ClockInfo): MetricSpec[] {
  return [{ name: 'start', unit: 'ns', better: 'lower', clock, description: 'start request to running, per instance, while the ramp grows' }];
}

/** Runs the ramp; container ids are `${idPrefix}-${i}`. Teardown runs whatever happens. */
export async function runRamp(req: DensityRequest, fleet: Fleet, idPrefix: string): Promise<DensityOutcome> {
  const handles: ContainerHandle[] = [];
  const pending: string[] = [];
  const steps: DensityStep[] = [];
  const notes: string[] = [];
  let failure: string | null = null;
  let stoppedBecause: string | null = null;
  let stepStarts: number[] = [];
  const base = hostMemory().used;
  const t0 = nowNs();
  const measureStep = async (): Promise<void> => {
    if (pending.length && fleet.resolvePids) {
      const pids = await fleet.resolvePids(pending.splice(0));
      for (const [id, pid] of pids) handles.push({ id, pid });
    }
    const s = snapshot(handles);
    const sorted = [...stepStarts].sort((a, b) => a - b);
    const n = Math.max(1, handles.length);
    const hostDelta = s.hostUsedBytes - base;
    const step: DensityStep = {
      instances: handles.length,
      elapsedS: nsToNumber(deltaNs(t0, nowNs())) / 1e9,
      startP50Ns: sorted.length ? quantileSorted(sorted, 0.5) : 0,
      startP90Ns: sorted.length ? quantileSorted(sorted, 0.9) : 0,
      startMaxNs: sorted.at(-1) ?? 0,
      cgroupBytes: s.cgroupBytes,
      pssBytes: s.pssBytes,
      shimPssBytes: s.shimPssBytes,
      hostDeltaBytes: hostDelta,
      processes: s.processes,
      perInstance: { cgroupBytes: s.cgroupBytes / n, pssBytes: (s.pssBytes + s.shimPssBytes) / n, hostDeltaBytes: hostDelta / n },
    };
    const last = handles.at(-1);
    if (last) {
      const one = snapshot([last]);
      step.newest = { cgroupBytes: one.cgroupBytes, pssBytes: one.pssBytes, shimPssBytes: one.shimPssBytes };
    }
    steps.push(step);
    stepStarts = [];
    req.onStep(step);
  };
  let teardownNs = 0;
  try {
    for (let i = 0; i < req.target; i++) {
      if (req.signal.aborted) {
        stoppedBecause = `interrupted at ${handles.length + pending.length} instances`;
        break;
      }
      if (i % req.step === 0) {
        const avail = hostMemory().available;
        if (avail < req.minAvailableBytes) {
          stoppedBecause = `stopped at ${i} instances: host MemAvailable ${(avail / 2 ** 30).toFixed(2)} GiB is below the floor of ${(req.minAvailableBytes / 2 ** 30).toFixed(2)} GiB (set by min-available)`;
          break;
        }
      }
      const id = `${idPrefix}-${i}`;
      let r: FleetStart;
      try {
        r = await fleet.start(id);
      } catch (e) {
        r = { ok: false, startNs: 0, error: errorMessage(e) };
      }
      const sample: Sample = { index: i, warmup: false, ok: r.ok, values: r.ok ? { start: r.startNs } : {} };
      if (!r.ok) sample.error = r.error ?? 'start failed';
      req.onStart(sample);
      if (!r.ok) {
        failure = `instance ${i + 1} failed to start: ${r.error ?? 'unknown error'}`;
        break;
      }
      stepStarts.push(r.startNs);
      if (r.pid) handles.push({ id, pid: r.pid });
      else pending.push(id);
      if ((i + 1) % req.step === 0 || i + 1 === req.target) await measureStep();
    }
    if (stepStarts.length || pending.length) await measureStep();
  } finally {
    const td = nowNs();
    await fleet.stopAll();
    teardownNs = nsToNumber(deltaNs(td, nowNs()));
  }
  notes.push(`teardown of ${handles.length} instances took ${(teardownNs / 1e9).toFixed(2)} s`);
  return { metrics: densityMetrics(fleet.clock), steps, reached: handles.length, failure, stoppedBecause, teardownNs, notes };
}

/** The client clock used around CLI calls. */
export const CLI_CLOCK: ClockInfo = { ...CLIENT_MONOTONIC, detail: 'process.hrtime.bigint around the CLI call (includes the CLI process start)' };
