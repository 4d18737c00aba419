/** Order statistics on sorted arrays (nearest-rank definition, as HDR histograms and most harnesses use). */

/** Returns a sorted copy of the values (ascending, numeric). */
export function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * Nearest-rank quantile: the smallest value v such that at least q·n samples are ≤ v.
 * q is in [0, 1]; q = 0 gives the minimum.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} outside [0, 1]`);
  const rank = Math.max(1, Math.ceil(q * n - 1e-9));
  return sorted[Math.min(rank, n) - 1] as number;
}
