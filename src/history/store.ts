/**
 * The history store: an append-only folder (default results/history) holding one record file per run
 * (`<runId>.json`, every result of the run; raw samples copied beside it in `<runId>.raw/`) and an
 * index (`index.ndjson`, one line per run with each result's summary statistics) that trends read.
 * A run is never rewritten: appending a run id that is already there is refused.
 */
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { Better } from '../core/metric.js';
import type { Observation } from '../result/observation.js';
import { observationOf } from '../result/load-observations.js';
import { parseResult } from '../result/io.js';
import type { Result } from '../result/types.js';
import { UserError, errorMessage } from '../util/errors.js';
import { displayRuntime } from '../result/label.js';

export const RECORD_SCHEMA = 'edgebench/run-record';

/** One run's record file. */
export interface RunRecord {
  schema: typeof RECORD_SCHEMA;
  schemaVersion: 1;
  runId: string;
  appendedAt: string;
  results: Result[];
}

/** Summary of one result in the index. */
export interface IndexResult {
  suite: string;
  layer: string;
  runtime: string;
  workload: string | null;
  status: Result['status'];
  reason?: string;
  hardware: string;
  /** `better` is absent in lines written before metrics declared a direction (read with legacyBetter). */
  metrics: Record<string, { unit: string; better?: Better; n: number; p50: number; p90: number; p99: number; max: number }>;
}

/** One line of index.ndjson. */
export interface IndexEntry {
  runId: string;
  startedAt: string;
  appendedAt: string;
  gitCommit: string | null;
  results: IndexResult[];
}

/** The history folder under a results root. */
export function historyDir(root: string): string {
  return join(root, 'history');
}

/** Index entry for a run's results. */
export function indexEntry(runId: string, results: readonly Result[], appendedAt: string): IndexEntry {
  const startedAt = results.map((r) => r.startedAt).sort()[0] ?? appendedAt;
  return {
    runId,
    startedAt,
    appendedAt,
    gitCommit: results[0]?.harness.gitCommit ?? null,
    results: results.map((r) => ({
      suite: r.suite,
      layer: r.layer,
      runtime: displayRuntime(r),
      workload: r.workload?.name ?? null,
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
      hardware: `${r.environment.host.cpuModel}, ${r.environment.host.cores} cores`,
      metrics: Object.fromEntries(r.metrics.map((m) => [m.name, { unit: m.unit, better: m.better, n: m.summary.count, p50: m.summary.p50, p90: m.summary.p90, p99: m.summary.p99, max: m.summary.max }])),
    })),
  };
}

/** Appends the results (read from `paths`, grouped by run id) to the store; returns the run ids added. */
export function appendRuns(root: string, loaded: ReadonlyArray<{ path: string; result: Result }>, now = new Date()): string[] {
  const dir = historyDir(root);
  mkdirSync(dir, { recursive: true });
  const byRun = new Map<string, Array<{ path: string; result: Result }>>();
  for (const l of loaded) byRun.set(l.result.runId, [...(byRun.get(l.result.runId) ?? []), l]);
  for (const runId of byRun.keys()) {
    if (existsSync(join(dir, `${runId}.json`))) throw new UserError(`${join(dir, `${runId}.json`)}: run ${runId} is already in the history (it is append-only)`);
  }
  const added: string[] = [];
  for (const [runId, items] of byRun) {
    const rawDir = join(dir, `${runId}.raw`);
    const results = items.map(({ path, result }) => {
      const raw = result.rawSamples;
      if (!raw) return result;
      const src = isAbsolute(raw.path) ? raw.path : join(dirname(path), raw.path);
      if (!existsSync(src)) return { ...result, rawSamples: null, notes: [...(result.notes ?? []), `raw samples ${raw.path} were missing when appended to the history`] };
      mkdirSync(rawDir, { recursive: true });
      const name = basename(src);
      copyFileSync(src, join(rawDir, name));
      return { ...result, rawSamples: { ...raw, path: `${runId}.raw/${name}` } };
    });
    const appendedAt = now.toISOString();
    const record: RunRecord = { schema: RECORD_SCHEMA, schemaVersion: 1, runId, appendedAt, results };
    writeFileSync(join(dir, `${runId}.json`), JSON.stringify(record) + '\n', { flag: 'wx' });
    appendFileSync(join(dir, 'index.ndjson'), JSON.stringify(indexEntry(runId, results, appendedAt)) + '\n');
    added.push(runId);
  }
  return added;
}

/** Reads the index (a torn last line is ignored; any other bad line is an error naming it). */
export function readIndex(root: string): IndexEntry[] {
  const path = join(historyDir(root), 'index.ndjson');
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  const out: IndexEntry[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as IndexEntry);
    } catch {
      if (i === lines.length - 1) return;
      throw new UserError(`${path}:${i + 1}: corrupt index line`);
    }
  });
  return out.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** Whether a run id is in the store. */
export function hasRun(root: string, runId: string): boolean {
  return existsSync(join(historyDir(root), `${runId}.json`));
}

/** Loads a stored run's results as observations (raw samples from the store when kept). */
export function loadRun(root: string, runId: string): Observation[] {
  const path = join(historyDir(root), `${runId}.json`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `run ${runId}: not in the history at ${historyDir(root)}` : `${path}: not a run record (${errorMessage(e)})`);
  }
  const rec = value as Partial<RunRecord>;
  if (rec.schema !== RECORD_SCHEMA || rec.schemaVersion !== 1 || !Array.isArray(rec.results)) throw new UserError(`${path}: not an edgebench run record (schema ${RECORD_SCHEMA} version 1)`);
  return rec.results.map((r, i) => observationOf(parseResult(JSON.stringify(r), `${path} result ${i + 1}`), path));
}
