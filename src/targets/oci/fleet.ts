/** The oci drivers' fleet: containers started by id under a run label, measured from their host pids (procfs, cgroupfs). */
import { CLIENT_MONOTONIC, deltaNs, nowNs, nsToNumber, type ClockInfo } from '../../core/clock.js';
import type { MetricSpec } from '../../core/metric.js';
import type { FleetMemory, FleetSession, FleetStart } from '../fleet.js';
import { cleanup } from './cleanup.js';
import { claimLabel, newLabel } from './label.js';
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
  /** Lines for the result's notes, asked after the containers were removed. */
  notes(): string[];
}

/** Metrics a fleet's starts carry. */
export function densityMetrics(clock: ClockInfo): MetricSpec[] {
  return [{ name: 'start', unit: 'ns', better: 'lower', clock, description: 'start request to running, per instance, while the ramp grows' }];
}

/**
 * A fleet over an oci driver: ids `${idPrefix}-${i}`, memory from snapshots of the containers' pids. Closing notes
 * the teardown time, then the driver's lines, and runs `release` (the label's cleanup).
 */
export function ociFleet(driver: OciFleet, idPrefix: string, release: () => Promise<void>): FleetSession {
  const handles: ContainerHandle[] = [];
  const pending: string[] = [];
  let teardown: { instances: number; ns: number } | null = null;
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
    async stopAll(): Promise<void> {
      const t = nowNs();
      await driver.stopAll();
      teardown = { instances: handles.length, ns: nsToNumber(deltaNs(t, nowNs())) };
    },
    metrics: () => densityMetrics(driver.clock),
    async close(): Promise<string[]> {
      await release();
      const notes = teardown ? [`teardown of ${teardown.instances} instances took ${(teardown.ns / 1e9).toFixed(2)} s`] : [];
      return [...notes, ...driver.notes()];
    },
  };
}

/** Opens an oci fleet under a new run label: `setup` prepares the driver in the label's folder; the label is cleaned up on close, or at once when setup fails. */
export async function openOciFleet(setup: (label: string, dir: string) => Promise<OciFleet>): Promise<FleetSession> {
  const label = newLabel();
  const dir = claimLabel(label);
  const release = async (): Promise<void> => {
    await cleanup(label, true);
  };
  try {
    return ociFleet(await setup(label, dir), `${label}-d`, release);
  } catch (e) {
    await release();
    throw e;
  }
}

/** The client clock used around CLI calls. */
export const CLI_CLOCK: ClockInfo = { ...CLIENT_MONOTONIC, detail: 'process.hrtime.bigint around the CLI call (includes the CLI process start)' };
