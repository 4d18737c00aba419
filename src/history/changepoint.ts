/**
 * Change-point detection for a series of per-run figures. No I/O.
 *
 * Method: E-divisive with means (Matteson & James 2014, α = 1), the statistic hunter and orion use,
 * applied by binary segmentation. For a segment, every split τ (each side ≥ minSize points) gets the
 * energy statistic Q(τ) = m·k/(m+k) · (2/(mk)·Σ|xᵢ−yⱼ| − Σ|xᵢ−xₗ|/C(m,2) − Σ|yⱼ−yₗ|/C(k,2)); the best
 * split is significant when a seeded permutation test (shuffling the segment, 399 times) gives p ≤ alpha (0.01: the
 * searches after the first split are further tests, so a strict level keeps noise from being flagged). A
 * significant split is kept as a change point when the medians on either side differ by at least
 * minRelativeChange, and both halves are searched again.
 */
import { seededRng, randomIndex, type Rng } from '../core/rng.js';

/** Detector settings. */
export interface ChangePointOptions {
  alpha?: number;
  permutations?: number;
  minSize?: number;
  /** Smallest relative change of the median that is reported (0.05 = 5%). */
  minRelativeChange?: number;
  seed?: number;
}

/** A detected change: the first index of the new regime. */
export interface ChangePoint {
  index: number;
  before: number;
  after: number;
  /** (after − before) / before, of the segment medians. */
  relativeChange: number;
  pValue: number;
  statistic: number;
}

const DEFAULTS = { alpha: 0.01, permutations: 399, minSize: 4, minRelativeChange: 0.05, seed: 1 } as const;

/** Median of a slice (average of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
}

/** Best split of x by the energy statistic: [τ, Q(τ)], or null when x is too short. */
export function bestSplit(x: readonly number[], minSize: number): [number, number] | null {
  const n = x.length;
  if (n < 2 * minSize) return null;
  // P[i][j] = Σ_{a<i, b<j} |x_a − x_b|, flattened (n+1)².
  const w = n + 1;
  const P = new Float64Array(w * w);
  for (let i = 1; i <= n; i++) {
    let row = 0;
    for (let j = 1; j <= n; j++) {
      row += Math.abs((x[i - 1] as number) - (x[j - 1] as number));
      P[i * w + j] = (P[(i - 1) * w + j] as number) + row;
    }
  }
  const rect = (a1: number, a2: number, b1: number, b2: number): number => (P[a2 * w + b2] as number) - (P[a1 * w + b2] as number) - (P[a2 * w + b1] as number) + (P[a1 * w + b1] as number);
  let best: [number, number] | null = null;
  for (let t = minSize; t <= n - minSize; t++) {
    const m = t;
    const k = n - t;
    const between = rect(0, t, t, n);
    const withinX = rect(0, t, 0, t) / 2;
    const withinY = rect(t, n, t, n) / 2;
    const q = ((m * k) / (m + k)) * ((2 * between) / (m * k) - withinX / ((m * (m - 1)) / 2) - withinY / ((k * (k - 1)) / 2));
    if (!best || q > best[1]) best = [t, q];
  }
  return best;
}

/** Fisher–Yates shuffle into a copy. */
function shuffled(x: readonly number[], rng: Rng): number[] {
  const a = [...x];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomIndex(rng, i + 1);
    [a[i], a[j]] = [a[j] as number, a[i] as number];
  }
  return a;
}

/** Change points of a series, in index order. */
export function detectChangePoints(series: readonly number[], options: ChangePointOptions = {}): ChangePoint[] {
  const o = { ...DEFAULTS, ...options };
  const rng = seededRng(o.seed);
  const found: ChangePoint[] = [];
  const search = (lo: number, hi: number): void => {
    const seg = series.slice(lo, hi);
    const split = bestSplit(seg, o.minSize);
    if (!split) return;
    const [t, q] = split;
    let atLeast = 0;
    for (let p = 0; p < o.permutations; p++) {
      const s = bestSplit(shuffled(seg, rng), o.minSize);
      if (s && s[1] >= q) atLeast++;
    }
    const pValue = (atLeast + 1) / (o.permutations + 1);
    if (pValue > o.alpha) return;
    const before = median(seg.slice(0, t));
    const after = median(seg.slice(t));
    const rel = before === 0 ? (after === 0 ? 0 : Infinity) : (after - before) / Math.abs(before);
    if (Math.abs(rel) >= o.minRelativeChange) found.push({ index: lo + t, before, after, relativeChange: rel, pValue, statistic: q });
    search(lo, lo + t);
    search(lo + t, hi);
  };
  search(0, series.length);
  return found.sort((a, b) => a.index - b.index);
}

/** Theil–Sen slope: the median of pairwise slopes (robust trend per step). */
export function theilSenSlope(series: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < series.length; i++) for (let j = i + 1; j < series.length; j++) slopes.push(((series[j] as number) - (series[i] as number)) / (j - i));
  return slopes.length ? median(slopes) : 0;
}
