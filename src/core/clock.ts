/** Monotonic clock helpers: bigint nanoseconds until after a delta is taken. */

/** Where a timestamp comes from; every recorded figure names one. */
export type ClockSource =
  | 'client-monotonic'
  | 'launcher-monotonic'
  | 'api-server'
  | 'scheduler-event'
  | 'kubelet'
  | 'containerd-event'
  | 'kernel-rusage'
  | 'cgroup'
  | 'procfs'
  | 'derived';

/** A clock's identity and resolution, stored next to each metric. */
export interface ClockInfo {
  source: ClockSource;
  /** Smallest distinguishable step of the source, in the metric's unit (ns for durations, bytes for memory). */
  resolution: number;
  /** Free-text detail, e.g. "process.hrtime.bigint (CLOCK_MONOTONIC)". */
  detail?: string;
}

/** Current monotonic time in nanoseconds (CLOCK_MONOTONIC through process.hrtime). */
export function nowNs(): bigint {
  return process.hrtime.bigint();
}

/** Elapsed nanoseconds between two monotonic readings, as bigint. */
export function deltaNs(start: bigint, end: bigint): bigint {
  if (end < start) throw new RangeError(`monotonic clock went backwards: ${start} > ${end}`);
  return end - start;
}

/** Converts a bigint nanosecond delta to a number once the delta is small enough to be exact. */
export function nsToNumber(ns: bigint): number {
  if (ns > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`delta ${ns} ns exceeds 2^53`);
  return Number(ns);
}

/** Elapsed nanoseconds since `start`, as a number. */
export function elapsedNs(start: bigint): number {
  return nsToNumber(deltaNs(start, nowNs()));
}

/** Client-side monotonic clock description (Node's hrtime is CLOCK_MONOTONIC, 1 ns units). */
export const CLIENT_MONOTONIC: ClockInfo = {
  source: 'client-monotonic',
  resolution: 1,
  detail: 'process.hrtime.bigint (CLOCK_MONOTONIC)',
};

/** Wall-clock time in ISO 8601, for labels only: never for durations. */
export function wallClockIso(): string {
  return new Date().toISOString();
}

/** True when a clock of this resolution can support a figure of the given magnitude at the wanted relative precision. */
export function resolutionSupports(resolutionNs: number, valueNs: number, maxRelativeError = 0.1): boolean {
  if (valueNs <= 0) return false;
  return resolutionNs / valueNs <= maxRelativeError;
}
