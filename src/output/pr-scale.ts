/** One scale per table row: its figures printed as bare numbers, the unit once in the row's unit column. No I/O. */
import type { Unit } from '../core/histogram.js';
import { scaleFor } from './compact.js';

/** A row's unit and the formatter of its figures in that unit. */
export interface RowScale {
  unit: string;
  fmt(v: number): string;
}

const LABEL: Record<Exclude<Unit, 'ns' | 'bytes'>, string> = { count: 'count', percent: '%', millicores: 'millicores', requests: 'requests' };

/** Decimals that give `scaled` about four significant figures (none at 1000 and above). */
function decimalsFor(scaled: number): number {
  const a = Math.abs(scaled);
  return a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3;
}

/** The scale that prints `ref` (the row's p50) between 1 and 1000 of a unit where the unit has prefixes. */
export function rowScale(unit: Unit, ref: number): RowScale {
  if (unit !== 'ns' && unit !== 'bytes') {
    const decimals = Number.isInteger(ref) && Math.abs(ref) >= 1 ? 0 : Math.min(2, decimalsFor(ref));
    return { unit: LABEL[unit], fmt: (v) => v.toFixed(decimals) };
  }
  const { name, factor } = scaleFor(ref, unit);
  const decimals = factor === 1 ? 0 : decimalsFor(ref / factor);
  return { unit: name, fmt: (v) => (v / factor).toFixed(decimals) };
}
