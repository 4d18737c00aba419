/** Test helpers for the claims area: real cells, results rebuilt from (real or transformed) values, the built CLI. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { analyze } from '../../src/core/analyze.js';
import type { Sample } from '../../src/core/metric.js';
import { writeResult } from '../../src/result/io.js';
import { RawSampleWriter } from '../../src/result/raw-samples.js';
import type { Result } from '../../src/result/types.js';
import { runCell, type CellOutcome } from '../../src/run/cell.js';
import { getSuite } from '../../src/run/suite.js';
import { repoPath } from '../../src/util/paths.js';
import '../../src/targets/index.js';
import '../../suites/index.js';

/** A fresh temporary folder. */
export function tmp(prefix = 'eb-claims-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs a real cold-start cell at the process layer, or embedded for node-wasi-inproc (`targetOptions`, e.g. `{ bin }`, go to the target). */
export async function realCell(runtime: string, fixture: string, samples: number, outDir: string, runId = 'test-run', targetOptions?: Record<string, string>): Promise<CellOutcome> {
  const suite = getSuite('cold-start');
  if (!suite) throw new Error('cold-start suite not registered');
  // node-wasi-inproc instantiates inside the harness: the embedded layer; every other runtime here starts a process.
  return runCell({ suite, layer: runtime === 'node-wasi-inproc' ? 'embedded' : 'process', runtime, workload: fixture, args: [], params: { samples, warmup: 3, maxFailureRatio: 0.1, seed: 1, extra: {} }, runId, outDir, signal: new AbortController().signal, ...(targetOptions ? { targetOptions } : {}) });
}

/**
 * Writes a result like `template` (same environment, suite, workload) whose metrics are re-analysed from
 * `values` (one array per metric), with its raw samples beside it. Returns the result file's path.
 */
export function writeDerivedResult(dir: string, file: string, template: Result, values: Record<string, number[]>, over: Partial<Result> = {}): string {
  mkdirSync(dir, { recursive: true });
  // Every declared field of the template's metrics (name, unit, clock, …), less what analysis adds.
  const specs = template.metrics.filter((m) => values[m.name]).map(({ summary: _s, ci: _c, histogram: _h, ...spec }) => spec);
  const n = Math.max(...Object.values(values).map((v) => v.length));
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const v: Record<string, number> = {};
    for (const [k, arr] of Object.entries(values)) if (arr[i] !== undefined) v[k] = arr[i] as number;
    samples.push({ index: i, warmup: false, ok: true, values: v });
  }
  const runId = over.runId ?? template.runId;
  const rawName = `${file}.samples.ndjson`;
  const raw = new RawSampleWriter(join(dir, rawName), { type: 'header', format: 'edgebench/raw-samples', version: 1, runId, suite: template.suite, layer: template.layer, runtime: template.runtime, workload: template.workload?.path ?? null, startedAt: template.startedAt });
  samples.forEach((s, i) => raw.append(s, i * 1_000_000));
  raw.end({ metrics: specs, endedAt: template.endedAt });
  raw.close();
  const a = analyze(specs, samples, { bootstrap: { seed: 1, resamples: 500 } });
  const result: Result = { ...template, runId, status: 'ok', counts: a.counts, metrics: a.metrics, rawSamples: { path: rawName, format: 'ndjson' }, ...over };
  const path = join(dir, `${file}.json`);
  writeResult(path, result);
  return path;
}

/** Writes text to a file in `dir`. */
export function writeText(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Runs the built CLI (npm test builds first); never throws on a non-zero exit. */
export async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await execa('node', [repoPath('dist', 'src', 'cli', 'main.js'), ...args], { reject: false, cwd: repoPath() });
  return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}
