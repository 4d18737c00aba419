/** Compact numbers for tables: one unit per row (chosen from a typical value), three significant digits. No I/O. */
import type { Unit } from '../core/histogram.js';

/** A display unit: its name and how many base units it holds. */
export interface Scale {
  name: string;
  factor: number;
}

const NS: Scale[] = [
  { name: 'ns', factor: 1 },
  { name: 'µs', factor: 1e3 },
  { name: 'ms', factor: 1e6 },
  { name: 's', factor: 1e9 },
];
const BYTES: Scale[] = [
  { name: 'B', factor: 1 },
  { name: 'KiB', factor: 1024 },
  { name: 'MiB', factor: 1024 ** 2 },
  { name: 'GiB', factor: 1024 ** 3 },
];
const FIXED: Readonly<Record<Exclude<Unit, 'ns' | 'bytes'>, string>> = { percent: '%', millicores: 'm', count: 'count', requests: 'req' };

/** The largest scale of `unit` in which `typical` is at least 1 (the smallest when none): the one unit ladder of tables, PR rows and chart axes. */
export function scaleFor(typical: number, unit: Unit): Scale {
  if (unit !== 'ns' && unit !== 'bytes') return { name: FIXED[unit], factor: 1 };
  const ladder = unit === 'ns' ? NS : BYTES;
  let best = ladder[0] as Scale;
  for (const s of ladder) if (Math.abs(typical) >= s.factor) best = s;
  return best;
}

/** A number with three significant digits (integers as they are). */
function compactNumber(x: number): string {
  const a = Math.abs(x);
  if (Number.isInteger(x) || a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return a === 0 ? '0' : x.toPrecision(3).replace(/0+$/, '').replace(/\.$/, '');
}

/** `v` (in base units) as a compact number in scale `s`. */
export function inScale(v: number, s: Scale): string {
  return compactNumber(v / s.factor);
}
