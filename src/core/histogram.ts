/** HDR histograms (hdr-histogram-js) with a declared unit and precision. */
import hdr from 'hdr-histogram-js';

/** Unit of a recorded value; durations are integer nanoseconds, sizes integer bytes. */
export type Unit = 'ns' | 'bytes' | 'count' | 'percent' | 'millicores' | 'requests';

/** Serialised histogram as stored in result files. */
export interface EncodedHistogram {
  encoding: 'hdr-compressed-base64';
  unit: Unit;
  significantDigits: 1 | 2 | 3 | 4 | 5;
  totalCount: number;
  data: string;
}

/** A histogram that knows its unit. */
export interface UnitHistogram {
  unit: Unit;
  significantDigits: 1 | 2 | 3 | 4 | 5;
  histogram: hdr.Histogram;
}

/** Creates an auto-resizing HDR histogram for integer values of `unit`. */
export function createHistogram(unit: Unit, significantDigits: 1 | 2 | 3 | 4 | 5 = 3): UnitHistogram {
  const histogram = hdr.build({
    bitBucketSize: 'packed',
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: significantDigits,
    useWebAssembly: false,
  });
  return { unit, significantDigits, histogram };
}

/** Records one value, rounded to an integer (HDR tracks integers; 0 is allowed). */
export function recordValue(h: UnitHistogram, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`cannot record ${value} ${h.unit}`);
  h.histogram.recordValue(Math.round(value));
}

/**
 * Records a latency with coordinated-omission correction: when a request took longer than the
 * expected interval, the requests that should have been sent meanwhile are back-filled.
 */
export function recordCorrected(h: UnitHistogram, value: number, expectedIntervalNs: number): void {
  h.histogram.recordValueWithExpectedInterval(Math.round(value), Math.round(expectedIntervalNs));
}

/** Builds a histogram from a list of values. */
export function histogramOf(values: readonly number[], unit: Unit, significantDigits: 1 | 2 | 3 | 4 | 5 = 3): UnitHistogram {
  const h = createHistogram(unit, significantDigits);
  for (const v of values) recordValue(h, v);
  return h;
}

/** Percentile (0–100) read from the histogram: exact to its significant digits. */
export function histogramPercentile(h: UnitHistogram, percentile: number): number {
  return h.histogram.getValueAtPercentile(percentile);
}

/** Serialises a histogram for a result file. */
export function encodeHistogram(h: UnitHistogram): EncodedHistogram {
  return {
    encoding: 'hdr-compressed-base64',
    unit: h.unit,
    significantDigits: h.significantDigits,
    totalCount: h.histogram.totalCount,
    data: hdr.encodeIntoCompressedBase64(h.histogram),
  };
}

/** Restores a histogram stored by encodeHistogram. */
export function decodeHistogram(e: EncodedHistogram): UnitHistogram {
  const histogram = hdr.decodeFromCompressedBase64(e.data, 'packed', false);
  return { unit: e.unit, significantDigits: e.significantDigits, histogram };
}
