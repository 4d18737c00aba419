/** An axis: its unit, round ticks that contain the data, tick labels, and the value → [0, 1] position map. No I/O. */
import { scaleFor } from '../compact.js';
import { binaryTicks, clean, decimalTicks, logTicks } from './ticks.js';

/** What an axis measures, which decides its ticks and labels. */
export type AxisUnit = 'bytes' | 'ns' | 'ratio' | 'share' | 'fraction' | 'seconds' | 'count';

/** A laid-out axis. */
export interface Axis {
  unit: AxisUnit;
  log: boolean;
  ticks: number[];
  min: number;
  max: number;
  /** Tick label of a value. */
  label(v: number): string;
  /** Position of a value between min (0) and max (1). */
  pos(v: number): number;
}

/** A duration label in the tick's own unit: 500 µs, 1 ms, 20 ms. */
function durationLabel(ns: number): string {
  if (ns === 0) return '0';
  const s = scaleFor(ns, 'ns');
  return `${clean(ns / s.factor)} ${s.name}`;
}

/** Tick labeller for an axis: byte and linear duration ticks share one unit (the step's, the largest tick's). */
function labeller(unit: AxisUnit, log: boolean, ticks: number[]): (v: number) => string {
  const top = Math.max(...ticks.map(Math.abs));
  switch (unit) {
    case 'bytes': {
      // The top tick's unit while the step is at least a quarter of it (0, 0.5, …, 3 MiB rather than 0, 512, …, 3072 KiB), else the step's.
      const step = ticks.length > 1 ? (ticks[1] as number) - (ticks[0] as number) : top;
      const big = scaleFor(top, 'bytes');
      const s = step >= big.factor / 4 ? big : scaleFor(step, 'bytes');
      return (v) => `${clean(v / s.factor)} ${s.name}`;
    }
    case 'ns': {
      if (log) return durationLabel;
      const s = scaleFor(top, 'ns');
      return (v) => (v === 0 ? '0' : `${clean(v / s.factor)} ${s.name}`);
    }
    case 'ratio':
      return (v) => `${clean(v)}×`;
    case 'share':
      return (v) => `${clean(v * 100)}%`;
    case 'seconds':
      return (v) => `${clean(v)} s`;
    default:
      return (v) => String(clean(v));
  }
}

/** An axis over data from lo to hi; log axes need lo > 0. Bytes always get a linear axis with power-of-two steps. */
export function makeAxis(lo: number, hi: number, unit: AxisUnit, log = false): Axis {
  const isLog = log && unit !== 'bytes' && lo > 0;
  const ticks = isLog ? logTicks(lo, hi) : unit === 'bytes' ? binaryTicks(lo, hi) : decimalTicks(lo, hi);
  const min = ticks[0] as number;
  const max = ticks[ticks.length - 1] as number;
  const pos = isLog ? (v: number): number => Math.log10(v / min) / Math.log10(max / min) : (v: number): number => (v - min) / (max - min);
  return { unit, log: isLog, ticks, min, max, label: labeller(unit, isLog, ticks), pos };
}
