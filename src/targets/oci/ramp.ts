/** The oci drivers' fleet for the shared density ramp: containers started by id, measured from their host pids (procfs, cgroupfs). */
import { CLIENT_MONOTONIC, type ClockInfo } from '../../core/clock.js';
import type { MetricSpec } from '../../core/metric.js';
import type { DensityOutcome, DensityRequest } from '../density.js';
import { densityRamp, type Fleet, type FleetMemory, type FleetStart } from '../density-ramp.js';
import { snapshot, type ContainerHandle } from './memory.js';

/** One start as an oci driver reports it. */
export interface OciStart {
  ok: boolean;
  /** Request to running (create + start, or the CLI round trip), ns. */
  startNs: number;
  createNs?: number;
  pid?: number;
  error?: string;
}

/** An oci driver's way to start and stop long-running containers. */
export interface OciFleet {
  /** Clock of startNs (helper's CLOCK_MONOTONIC or the client's around a CLI call). */
  clock: ClockInfo;
  start(id: string): Promise<OciStart>;
  /** Host pids of started containers that start() could not tell (looked up once per step). */
  resolvePids?(ids: string[]): Promise<Map<string, number>>;
  /** Removes every container started; resolves when they are gone. */
  stopAll(): Promise<void>;
}

/** Metrics a density ramp records per start. */
export function densityMetrics(clock: ClockInfo): MetricSpec[] {
  return [{ name: 'start', unit: 'ns', better: 'lower', clock, description: 'start request to running, per instance, while the ramp grows' }];
}

/** The shared ramp's Fleet over an oci driver's: ids `${idPrefix}-${i}`, memory from snapshots of the containers' pids. */
export function ociFleet(driver: OciFleet, idPrefix: string): Fleet {
  const handles: ContainerHandle[] = [];
  const pending: string[] = [];
  return {
    async start(i): Promise<FleetStart> {
      const id = `${idPrefix}-${i}`;
      const r = await driver.start(id);
      if (!r.ok) return { ok: false, startNs: 0, values: {}, error: r.error ?? 'start failed' };
      if (r.pid) handles.push({ id, pid: r.pid });
      else pending.push(id);
      return { ok: true, startNs: r.startNs, values: { start: r.startNs } };
    },
    async measure(): Promise<FleetMemory> {
      if (pending.length && driver.resolvePids) {
        const pids = await driver.resolvePids(pending.splice(0));
        for (const [id, pid] of pids) handles.push({ id, pid });
      }
      const s = snapshot(handles);
      const last = handles.at(-1);
      const one = last ? snapshot([last]) : null;
      const m: FleetMemory = { instances: handles.length, cgroupBytes: s.cgroupBytes, pssBytes: s.pssBytes, shimPssBytes: s.shimPssBytes, processes: s.processes };
      if (one) m.newest = { cgroupBytes: one.cgroupBytes, pssBytes: one.pssBytes, shimPssBytes: one.shimPssBytes };
      return m;
    },
    stopAll: () => driver.stopAll(),
  };
}

/** Runs the shared ramp over an oci driver; container ids are `${idPrefix}-${i}`. Teardown runs whatever happens. */
export async function runRamp(req: DensityRequest, driver: OciFleet, idPrefix: string): Promise<DensityOutcome> {
  const out = await densityRamp(req, ociFleet(driver, idPrefix));
  const notes = [`teardown of ${out.reached} instances took ${(out.teardownNs / 1e9).toFixed(2)} s`];
  return { metrics: densityMetrics(driver.clock), ...out, notes };
}

/** The client clock used around CLI calls. */
export const CLI_CLOCK: ClockInfo = { ...CLIENT_MONOTONIC, detail: 'process.hrtime.bigint around the CLI call (includes the CLI process start)' };
