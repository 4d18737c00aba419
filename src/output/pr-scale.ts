/** One scale per table row: its figures printed as bare numbers, the unit once in the row's unit column. No I/O. */
import type { Unit } from '../core/histogram.js';

/** A row's unit and the formatter of its figures in that unit. */
export interface RowScale {
  unit: string;
  fmt(v: number): string;
}

const STEPS: Partial<Record<Unit, ReadonlyArray<readonly [number, string]>>> = {
  ns: [[1e9, 's'], [1e6, 'ms'], [1e3, 'µs'], [1, 'ns']],
  bytes: [[1024 ** 3, 'GiB'], [1024 ** 2, 'MiB'], [1024, 'KiB'], [1, 'B']],
};

const LABEL: Record<Unit, string> = { ns: 'ns', bytes: 'B', count: 'count', percent: '%', millicores: 'millicores', requests: 'requests' };

/** Decimals that give `scaled` about four significant figures (none at 1000 and above). */
function decimalsFor(scaled: number): number {
  const a = Math.abs(scaled);
  return a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3;
}

/** The scale that prints `ref` (the row's p50) between 1 and 1000 of a unit where the unit has prefixes. */
export function rowScale(unit: Unit, ref: number): RowScale {
  const steps = STEPS[unit];
  if (!steps) {
    const decimals = Number.isInteger(ref) && Math.abs(ref) >= 1 ? 0 : Math.min(2, decimalsFor(ref));
    return { unit: LABEL[unit], fmt: (v) => v.toFixed(decimals) };
  }
  const a = Math.abs(ref);
  const [div, label] = steps.find(([d]) => a >= d) ?? (steps[steps.length - 1] as readonly [number, string]);
  const decimals = div === 1 ? 0 : decimalsFor(ref / div);
  return { unit: label, fmt: (v) => (v / div).toFixed(decimals) };
}
