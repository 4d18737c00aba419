/** Exit statuses of the bench scripts (read by run-all) and the targets they check. */

/** The target was not met, or the measurement failed. */
export const EXIT_NOT_MET = 1;
/** Nothing was measured (a tool it needs is missing): neither a pass nor a miss of the target. */
export const EXIT_NOT_MEASURED = 3;

/** kube-harness-cost's targets: < 5 ms p99 event-loop lag and < 150 MB peak RSS, measured at the pod count asked for. */
export function harnessCostShortfalls(r: { pods: number; reached: number; lagP99Ms: number; peakRssMB: number }): string[] {
  const out: string[] = [];
  // Written as "not below" so that NaN (nothing measured) is a shortfall too.
  if (!(r.lagP99Ms < 5)) out.push(`event-loop lag p99 ${r.lagP99Ms} ms is not below 5 ms`);
  if (!(r.peakRssMB < 150)) out.push(`peak RSS ${r.peakRssMB} MB is not below 150 MB`);
  if (!(r.reached >= r.pods)) out.push(`reached ${r.reached} of ${r.pods} pods: not measured at the scale asked for`);
  return out;
}
