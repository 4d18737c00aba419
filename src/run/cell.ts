/** Runs one cell — suite × layer × runtime × workload — and writes its result and raw samples. */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze, metricValues } from '../core/analyze.js';
import { nowNs, deltaNs, nsToNumber, wallClockIso } from '../core/clock.js';
import type { Sample } from '../core/metric.js';
import { gitCommit, harnessVersion } from '../env/harness.js';
import { hostFingerprint } from '../env/host.js';
import { resolveWorkload, unmetWasmNeeds } from '../fixtures/workload.js';
import { writeResult } from '../result/io.js';
import { RawSampleWriter } from '../result/raw-samples.js';
import { RESULT_SCHEMA, RESULT_SCHEMA_VERSION, type Layer, type ParamValue, type Result, type TargetSetup, type ToolFingerprint, type Workload } from '../result/types.js';
import { UserError, errorMessage } from '../util/errors.js';
import { sha256FileSync } from '../util/hash.js';
import { createTarget } from '../targets/registry.js';
import type { Target } from '../targets/target.js';
import { failureNote, withFirstFailure } from './failure.js';
import { redactOptions, redactSettings } from './redact.js';
import type { Suite, SuiteParams } from './suite.js';

/** Everything needed to run one cell. */
export interface CellSpec {
  suite: Suite;
  layer: Layer;
  runtime: string;
  targetOptions?: Record<string, string>;
  /** Fixture name or path. */
  workload: string;
  args: string[];
  params: SuiteParams;
  /** Recorded in the result's parameters but not given to the suite (e.g. a plan's name and runtime version label). */
  annotations?: Record<string, string>;
  runId: string;
  /** Folder the result and raw samples go to. */
  outDir: string;
  signal: AbortSignal;
  onSample?: (s: Sample, done: number, total: number) => void;
}

/** A cell's outcome: the written result, its path, and measured values per metric (for comparisons). */
export interface CellOutcome {
  result: Result;
  path: string;
  values: Map<string, number[]>;
}

/** File-name-safe token. */
function token(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** The file name (without extension) of a cell's result: two cells with the same stem would overwrite each other. */
export function cellFileStem(suite: string, layer: string, runtime: string, workload: string): string {
  return token(`${suite}__${layer}__${runtime}__${workload.split('/').pop() ?? workload}`);
}

/** Picks the workload kind a target runs (Wasm first), resolving the user's spec for it. */
function workloadFor(target: Target, spec: string, args: string[]): Workload | string {
  const kind = target.accepts.includes('wasm') ? 'wasm' : target.accepts.includes('native') ? 'native' : null;
  if (!kind) return `runtime ${target.runtime} runs ${target.accepts.join('/')} workloads, not fixtures`;
  const unmet = kind === 'wasm' ? unmetWasmNeeds(spec, `${target.layer}/${target.runtime}`, target.wasmAbis) : null;
  if (unmet) return unmet;
  try {
    const w = resolveWorkload(spec, kind, args);
    if (!target.accepts.includes(w.kind)) return `runtime ${target.runtime} runs ${target.accepts.join('/')} workloads; ${w.path} is ${w.kind}`;
    return w;
  } catch (e) {
    if (e instanceof UserError && /build missing/.test(e.message)) return e.message;
    throw e;
  }
}

/** Runs the cell; never throws for an absent runtime (that is a not-measured result). */
export async function runCell(spec: CellSpec): Promise<CellOutcome> {
  const startedAt = wallClockIso();
  const target = createTarget(spec.layer, spec.runtime, { runId: spec.runId, ...spec.targetOptions });
  mkdirSync(spec.outDir, { recursive: true });
  const base = join(spec.outDir, cellFileStem(spec.suite.name, spec.layer, spec.runtime, spec.workload));
  const resultPath = `${base}.json`;
  const parameters: Record<string, ParamValue> = {
    samples: spec.params.samples,
    warmup: spec.params.warmup,
    maxFailureRatio: spec.params.maxFailureRatio,
    seed: spec.params.seed,
    ...(spec.params.sampleTimeoutMs !== undefined ? { sampleTimeoutMs: spec.params.sampleTimeoutMs } : {}),
    args: spec.args,
    ...redactSettings(spec.params.extra, spec.suite.commandSettings ?? []),
    ...spec.annotations,
  };
  const simulation = target.simulation ?? null;
  const targetSetup: TargetSetup = { options: redactOptions(spec.targetOptions ?? {}), simulated: simulation !== null, ...(simulation !== null ? { simulation } : {}) };
  const skeleton = async (tools: ToolFingerprint[], workload: Workload | null): Promise<Result> => ({
    schema: RESULT_SCHEMA,
    schemaVersion: RESULT_SCHEMA_VERSION,
    runId: spec.runId,
    startedAt,
    endedAt: wallClockIso(),
    harness: { name: 'edgebench', version: harnessVersion(), gitCommit: await gitCommit() },
    environment: { host: hostFingerprint(), tools },
    suite: spec.suite.name,
    layer: spec.layer,
    runtime: spec.runtime,
    target: targetSetup,
    workload,
    parameters,
    status: 'not-measured',
    counts: null,
    metrics: [],
    verdicts: [],
    rawSamples: null,
  });
  const notMeasured = async (reason: string, tools: ToolFingerprint[] = [], workload: Workload | null = null): Promise<CellOutcome> => {
    const result = { ...(await skeleton(tools, workload)), reason };
    writeResult(resultPath, result);
    return { result, path: resultPath, values: new Map() };
  };

  const avail = await target.probe();
  if (!avail.available) return notMeasured(`${avail.reason}${avail.howToGet ? `; to measure it: ${avail.howToGet}` : ''}`);
  const workload = workloadFor(target, spec.workload, spec.args);
  if (typeof workload === 'string') return notMeasured(workload, avail.tools);
  const why = spec.suite.unsupported(target);
  if (why) return notMeasured(why, avail.tools, workload);

  const rawPath = `${base}.samples.ndjson`;
  const raw = new RawSampleWriter(rawPath, {
    type: 'header',
    format: 'edgebench/raw-samples',
    version: 1,
    runId: spec.runId,
    suite: spec.suite.name,
    layer: spec.layer,
    runtime: spec.runtime,
    workload: workload.path,
    startedAt,
  });
  const samples: Sample[] = [];
  const t0 = nowNs();
  const total = spec.suite.attempts?.(spec.params, target) ?? spec.params.samples + spec.params.warmup;
  const record = (s: Sample): void => {
    raw.append(s, nsToNumber(deltaNs(t0, nowNs())));
    samples.push(s);
    spec.onSample?.(s, samples.length, total);
  };
  let outcome;
  let failure: string | null = null;
  try {
    outcome = await spec.suite.measure({ target, workload, params: spec.params, record, signal: spec.signal });
    raw.end({ metrics: outcome.metrics, endedAt: wallClockIso() });
  } catch (e) {
    failure = `measurement failed: ${errorMessage(e)}`;
  } finally {
    raw.close();
  }
  if (outcome?.notMeasured && !spec.signal.aborted) return notMeasured(outcome.notMeasured, avail.tools, workload);
  if (spec.signal.aborted) failure = `interrupted after ${samples.length} of ${total} attempts (raw samples kept)`;
  const result = await skeleton(avail.tools, workload);
  result.rawSamples = { path: relative(spec.outDir, rawPath), format: 'ndjson', sha256: sha256FileSync(rawPath) };
  const notes = [...(simulation !== null ? [`simulated: ${simulation}`] : []), ...(avail.notes ?? []), ...(outcome?.notes ?? [])];
  if (notes.length) result.notes = notes;
  if (outcome?.series) result.series = outcome.series;
  if (outcome?.verdicts) result.verdicts = outcome.verdicts;
  const analysis = analyze(outcome?.metrics ?? [], samples, { maxFailureRatio: spec.params.maxFailureRatio, bootstrap: { seed: spec.params.seed } });
  result.counts = analysis.counts;
  if (failure || analysis.status === 'invalid') {
    result.status = 'invalid';
    // The first failed attempt's cause (exit code or signal, end of its stderr, a timeout) goes with the reason.
    result.reason = withFirstFailure(failure ?? analysis.reason ?? 'invalid', samples);
  } else {
    result.status = 'ok';
    result.metrics = analysis.metrics;
    const note = failureNote(samples);
    if (note) result.notes = [...(result.notes ?? []), note];
  }
  writeResult(resultPath, result);
  const values = new Map<string, number[]>();
  for (const m of outcome?.metrics ?? []) values.set(m.name, metricValues(samples, m.name));
  return { result, path: resultPath, values };
}
