/**
 * Whether two sides of a comparison ran under host loads different enough to explain a change: the share of time
 * some task waited for a CPU (PSI) differing by at least PSI_MARGIN, or (without PSI on both sides) the load average
 * per core differing by at least LOADAVG_MARGIN. No I/O.
 */
import type { HostLoad } from '../result/types.js';

/** PSI "some" shares (0..1) this far apart make the sides' loads different (10 percentage points of wall time). */
export const PSI_MARGIN = 0.1;
/** Load averages per core this far apart make the sides' loads different (without PSI). */
export const LOADAVG_MARGIN = 0.25;

/** The load difference between two sides, in words, and which side ran clearly heavier (null: neither). */
export interface LoadDifference {
  heavier: 'base' | 'candidate' | null;
  text: string;
}

/** Percent with no decimals, e.g. "48%". */
function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** Which side is heavier when two readings are at least `margin` apart, with the sentence saying so. */
function judged(base: number, cand: number, margin: number, what: string): LoadDifference {
  const d = cand - base;
  const heavier = Math.abs(d) >= margin ? (d > 0 ? 'candidate' : 'base') : null;
  return { heavier, text: heavier ? `the ${heavier} ran under more load: ${what}` : `similar load: ${what}` };
}

/** Compares the host load of the base and candidate sides. */
export function loadDifference(base: HostLoad | undefined, cand: HostLoad | undefined): LoadDifference {
  if (!base || !cand)
    return { heavier: null, text: `host load not recorded on the ${!base && !cand ? 'either side' : !base ? 'base side' : 'candidate side'}` };
  if (base.cpuSomeRatio !== null && cand.cpuSomeRatio !== null) {
    return judged(
      base.cpuSomeRatio,
      cand.cpuSomeRatio,
      PSI_MARGIN,
      `CPU pressure (PSI some) ${pct(base.cpuSomeRatio)} on the base vs ${pct(cand.cpuSomeRatio)} on the candidate`,
    );
  }
  if (base.loadavgPerCore === null || cand.loadavgPerCore === null)
    return { heavier: null, text: 'host load not comparable (no PSI, no load average on one side)' };
  const what = `load average per core ${base.loadavgPerCore.toFixed(2)} on the base vs ${cand.loadavgPerCore.toFixed(2)} on the candidate`;
  return judged(base.loadavgPerCore, cand.loadavgPerCore, LOADAVG_MARGIN, what);
}
