/** Round tick values that contain the data: 1-2-5 decimal steps, power-of-two byte steps, 1-2-5 log ticks. No I/O. */

/** Most intervals between ticks on an axis. */
export const MAX_INTERVALS = 6;

/** A number without float noise (0.30000000000000004 → 0.3). */
export function clean(v: number): number {
  return Number(v.toPrecision(12));
}

/** Ticks from a multiple of `step` at or below lo to one at or above hi. */
function stepped(lo: number, hi: number, step: number): number[] {
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const out: number[] = [];
  for (let i = first; i <= last; i++) out.push(clean(i * step));
  return out;
}

/** Span made non-zero: a single value gets an interval around it. */
function widen(lo: number, hi: number): [number, number] {
  if (hi > lo) return [lo, hi];
  if (hi === 0) return [0, 1];
  return lo > 0 ? [0, hi * 1.5] : [lo * 1.5, 0];
}

/** Decimal ticks with a 1, 2 or 5 × 10^k step, the first ≤ lo and the last ≥ hi. */
export function decimalTicks(lo: number, hi: number): number[] {
  [lo, hi] = widen(lo, hi);
  for (let e = Math.floor(Math.log10((hi - lo) / MAX_INTERVALS)) - 1; ; e++) {
    for (const m of [1, 2, 5]) {
      const t = stepped(lo, hi, clean(m * 10 ** e));
      if (t.length - 1 <= MAX_INTERVALS) return t;
    }
  }
}

/** Byte ticks with a power-of-two step (…, 256 KiB, 512 KiB, 1 MiB, 2 MiB, 4 MiB, …), the first ≤ lo and the last ≥ hi. */
export function binaryTicks(lo: number, hi: number): number[] {
  [lo, hi] = widen(lo, hi);
  for (let e = Math.max(0, Math.floor(Math.log2((hi - lo) / MAX_INTERVALS))); ; e++) {
    const t = stepped(lo, hi, 2 ** e);
    if (t.length - 1 <= MAX_INTERVALS) return t;
  }
}

/** Whether v is 1, 2 or 5 × 10^k. */
export function isOneTwoFive(v: number): boolean {
  const m = clean(v / 10 ** Math.floor(Math.log10(v) + 1e-12));
  return m === 1 || m === 2 || m === 5;
}

/** The 1-2-5 values from the largest ≤ lo to the smallest ≥ hi (lo, hi > 0). */
function oneTwoFive(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)) + 1; e++) for (const m of [1, 2, 5]) out.push(clean(m * 10 ** e));
  const first = out.filter((v) => v <= lo * (1 + 1e-9)).pop() ?? out[0] as number;
  const last = out.find((v) => v >= hi * (1 - 1e-9)) ?? out[out.length - 1] as number;
  return out.filter((v) => v >= first && v <= last);
}

/** Log ticks (lo, hi > 0): 1-2-5 values over at most two decades, else whole decades; the first ≤ lo and the last ≥ hi. */
export function logTicks(lo: number, hi: number): number[] {
  if (!(hi > lo)) [lo, hi] = [lo / 2, lo * 2];
  const fine = oneTwoFive(lo, hi);
  if (Math.log10((fine[fine.length - 1] as number) / (fine[0] as number)) <= 2.01) return fine;
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo) + 1e-9); e <= Math.ceil(Math.log10(hi) - 1e-9); e++) out.push(clean(10 ** e));
  return out;
}
