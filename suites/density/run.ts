/** A density ramp over a target's fleet (density and memory suites): opens the fleet, ramps it, closes it. */
import type { Target } from '../../src/targets/target.js';
import { densityRamp, procHost, type HostGauge, type RampResult } from './ramp.js';
import type { DensityOutcome, DensityRequest } from './types.js';

/** Why `target` cannot run a density ramp, or null when it can. */
export function noFleet(target: Target): string | null {
  return target.fleet ? null : `runtime ${target.runtime} at layer ${target.layer} cannot start long-running instances`;
}

/**
 * Ramps `req.workload` on the target's fleet; the fleet is closed whatever happens (a failed close after a failed
 * ramp does not hide the ramp's error). Notes: the fleet's, then the ramp's guards where the fleet needs task headroom.
 */
export async function runDensity(target: Target, req: DensityRequest, host: HostGauge = procHost): Promise<DensityOutcome> {
  if (!target.fleet) throw new Error(noFleet(target) ?? 'no fleet');
  const fleet = await target.fleet(req.workload);
  let out: RampResult;
  try {
    out = await densityRamp({ ...req, minFreeTasks: Math.max(req.minFreeTasks ?? 0, fleet.minFreeTasks ?? 0) }, fleet, host);
  } catch (e) {
    await fleet.close().catch(() => undefined);
    throw e;
  }
  const notes = await fleet.close();
  if (fleet.minFreeTasks !== undefined) {
    notes.push(`guards: MemAvailable floor ${(req.minAvailableBytes / 2 ** 20).toFixed(0)} MiB; at least ${fleet.minFreeTasks} task slots below kernel.pid_max`);
  }
  return { metrics: fleet.metrics(), ...out, notes };
}
