/** Expands a stored HDR histogram back into values (each recorded bucket's value, repeated by its count). No I/O. */
import type { JsHistogram } from 'hdr-histogram-js';
import { decodeHistogram, type EncodedHistogram } from '../core/histogram.js';

/** Values recorded in an encoded histogram, ascending; exact to the histogram's significant digits. */
export function histogramValues(e: EncodedHistogram): number[] {
  const h = decodeHistogram(e).histogram as unknown as JsHistogram;
  const it = h.recordedValuesIterator;
  it.reset();
  const out: number[] = [];
  while (it.hasNext()) {
    const v = it.next();
    const value = h.medianEquivalentValue(v.valueIteratedTo);
    for (let i = 0; i < v.countAtValueIteratedTo; i++) out.push(value);
  }
  return out;
}
