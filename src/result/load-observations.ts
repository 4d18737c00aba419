/** Loads results with their values: raw samples when the file is there and intact, else the stored histograms. */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { sha256FileSync } from '../util/hash.js';
import { errorMessage } from '../util/errors.js';
import { histogramValues } from './histogram-values.js';
import { loadResults } from './load.js';
import type { Observation } from './observation.js';
import { readRawSamples } from './raw-samples.js';
import type { Result } from './types.js';

/** Values from the result's histograms (the fallback when raw samples are gone). */
export function observationFromHistograms(result: Result, path?: string, note?: string): Observation {
  const values: Record<string, number[]> = {};
  for (const m of result.metrics) values[m.name] = histogramValues(m.histogram);
  return { result, ...(path ? { path } : {}), values, source: 'histogram', ...(note ? { sourceNote: note } : {}) };
}

/** Builds an observation for a result read from `path`. */
export function observationOf(result: Result, path: string): Observation {
  if (result.status !== 'ok') return { result, path, values: {}, source: 'histogram' };
  const raw = result.rawSamples;
  if (!raw) return observationFromHistograms(result, path, 'no raw samples recorded');
  const rawPath = isAbsolute(raw.path) ? raw.path : join(dirname(path), raw.path);
  if (!existsSync(rawPath)) return observationFromHistograms(result, path, `raw samples ${rawPath} not found`);
  if (raw.sha256 && sha256FileSync(rawPath) !== raw.sha256) return observationFromHistograms(result, path, `raw samples ${rawPath} do not match their sha256`);
  try {
    const file = readRawSamples(rawPath);
    const values: Record<string, number[]> = {};
    const timeline: Record<string, Array<[number, number]>> = {};
    const rounds: Record<string, number[]> = {};
    for (const m of result.metrics) {
      values[m.name] = [];
      timeline[m.name] = [];
      rounds[m.name] = [];
    }
    for (const s of file.samples) {
      if (s.warmup || !s.ok) continue;
      for (const m of result.metrics) {
        const v = s.values[m.name];
        if (v === undefined) continue;
        values[m.name]?.push(v);
        timeline[m.name]?.push([s.tNs, v]);
        rounds[m.name]?.push(s.round ?? 0);
      }
    }
    for (const m of result.metrics) {
      if ((values[m.name]?.length ?? 0) !== m.summary.count) {
        return observationFromHistograms(result, path, `raw samples hold ${values[m.name]?.length ?? 0} values of ${m.name}, the result ${m.summary.count}`);
      }
    }
    return { result, path, values, timeline, ...((result.rounds?.count ?? 1) > 1 ? { rounds } : {}), source: 'raw-samples' };
  } catch (e) {
    return observationFromHistograms(result, path, `raw samples unreadable: ${errorMessage(e)}`);
  }
}

/** Reads and validates result files (or folders), each with its values. */
export function loadObservations(paths: readonly string[]): Observation[] {
  return loadResults(paths).map(({ path, result }) => observationOf(result, path));
}
