/** The fixture a cell ran, also for a not-measured result that recorded no workload (from its file name). No I/O. */
import type { Observation } from '../result/observation.js';

/** The workload's name; else the last part of a result file named suite__layer__runtime__fixture.json; else "-". */
export function fixtureName(o: Observation): string {
  const r = o.result;
  if (r.workload) return r.workload.name;
  const parts = (o.path?.split('/').pop() ?? '').replace(/\.json$/, '').split('__');
  return parts.length === 4 && parts[1] === r.layer && parts[3] ? parts[3] : '-';
}
