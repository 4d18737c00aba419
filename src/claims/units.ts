/** Threshold units and how they map onto the units metrics are stored in. No I/O. */
import type { Unit } from '../core/histogram.js';
import type { ThresholdUnit } from './types.js';

/** The metric unit a threshold unit measures, and how many metric units one threshold unit is. */
const UNITS: Record<ThresholdUnit, { metric: Unit | 'ratio'; factor: number }> = {
  ns: { metric: 'ns', factor: 1 },
  us: { metric: 'ns', factor: 1e3 },
  ms: { metric: 'ns', factor: 1e6 },
  s: { metric: 'ns', factor: 1e9 },
  B: { metric: 'bytes', factor: 1 },
  kB: { metric: 'bytes', factor: 1e3 },
  MB: { metric: 'bytes', factor: 1e6 },
  GB: { metric: 'bytes', factor: 1e9 },
  KiB: { metric: 'bytes', factor: 1024 },
  MiB: { metric: 'bytes', factor: 1024 ** 2 },
  GiB: { metric: 'bytes', factor: 1024 ** 3 },
  count: { metric: 'count', factor: 1 },
  percent: { metric: 'percent', factor: 1 },
  millicores: { metric: 'millicores', factor: 1 },
  cores: { metric: 'millicores', factor: 1000 },
  requests: { metric: 'requests', factor: 1 },
  x: { metric: 'ratio', factor: 1 },
};

/** Factor to divide a metric value by to express it in `unit`, or null when the units measure different things. */
export function conversionFactor(unit: ThresholdUnit, metricUnit: Unit): number | null {
  const u = UNITS[unit];
  return u.metric === metricUnit ? u.factor : null;
}

/** Formats a number in a threshold unit, e.g. "6.21 ms". */
export function formatIn(value: number, unit: ThresholdUnit): string {
  const a = Math.abs(value);
  const digits = a === 0 ? 0 : a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.01 ? 3 : 5;
  const n = value.toFixed(digits);
  return unit === 'x' ? `${n}×` : unit === 'count' ? n : unit === 'percent' ? `${n} %` : `${n} ${unit}`;
}
