/** Runs one cell — suite × layer × runtime × workload — and writes its result and raw samples. */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze, metricRounds, metricValues } from '../core/analyze.js';
import { nowNs, deltaNs, nsToNumber, wallClockIso } from '../core/clock.js';
import type { MetricSpec, Sample } from '../core/metric.js';
import { gitCommit, harnessVersion } from '../env/harness.js';
import { hostFingerprint } from '../env/host.js';
import { BuildMissingError } from '../env/runtime-builds.js';
import { PressureMeter } from '../host/pressure.js';
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
  /** The round of each value (parallel to values); absent: one round. */
  rounds?: Map<string, number[]>;
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

/** One round of a cell: how many measured and warm-up attempts it takes. */
export interface RoundPlan {
  round: number;
  samples: number;
  warmup: number;
}

/** Splits `n` attempts over `rounds` rounds as evenly as possible (earlier rounds never get fewer than later ones). */
export function splitOverRounds(n: number, rounds: number): number[] {
  return Array.from({ length: rounds }, (_, r) => Math.floor((n * (r + 1)) / rounds) - Math.floor((n * r) / rounds)).reverse();
}

/** The rounds of a cell: samples and warm-up spread evenly over `rounds` (at most one round per measured sample). */
export function roundPlans(params: Pick<SuiteParams, 'samples' | 'warmup'>, rounds: number): RoundPlan[] {
  const r = Math.max(1, Math.min(rounds, params.samples));
  const s = splitOverRounds(params.samples, r);
  const w = splitOverRounds(params.warmup, r);
  return s.map((samples, round) => ({ round, samples, warmup: w[round] as number }));
}

/**
 * A cell being measured: opened (probed, workload resolved, raw-samples file started), then measured round by
 * round — the run's cells take turns (A B A B …) so that drift on the machine hits all of them alike — then closed
 * (analysed, result written). Raw samples are written as they are taken and carry their round.
 */
export class OpenCell {
  private readonly samples: Sample[] = [];
  private readonly t0 = nowNs();
  private readonly meter = new PressureMeter();
  private readonly perRound: number[] = [];
  private metrics: MetricSpec[] = [];
  private notes: string[] = [];
  private series: Record<string, unknown[]> | undefined;
  private verdicts: Record<string, unknown>[] | undefined;
  private failure: string | null = null;
  private notMeasuredReason: string | null = null;
  private next = 0;

  constructor(
    private readonly spec: CellSpec,
    private readonly ctx: CellContext,
    private readonly raw: RawSampleWriter,
    readonly total: number,
    readonly rounds: RoundPlan[],
  ) {}

  /** Cells of the run that took turns with this one (1: measured alone; set by the interleaving runner). */
  interleavedCells = 1;

  /** Whether later rounds should still be measured (no failure, not found unmeasurable). */
  get active(): boolean {
    return this.failure === null && this.notMeasuredReason === null;
  }

  /** Measures one round (its share of samples and warm-up). */
  async measureRound(plan: RoundPlan): Promise<void> {
    if (!this.active || this.spec.signal.aborted) return;
    const record = (s: Sample): void => {
      const sample: Sample = { ...s, index: this.next++, round: plan.round };
      this.raw.append(sample, nsToNumber(deltaNs(this.t0, nowNs())));
      this.samples.push(sample);
      this.spec.onSample?.(sample, this.samples.length, this.total);
    };
    const before = this.samples.length;
    this.meter.start();
    try {
      const params = { ...this.spec.params, samples: plan.samples, warmup: plan.warmup };
      const outcome = await this.spec.suite.measure({ target: this.ctx.target, workload: this.ctx.workload, params, record, signal: this.spec.signal });
      if (!this.metrics.length) this.metrics = outcome.metrics;
      for (const n of outcome.notes ?? []) if (!this.notes.includes(n)) this.notes.push(n);
      if (outcome.series) this.series = outcome.series;
      if (outcome.verdicts) this.verdicts = outcome.verdicts;
      if (outcome.notMeasured) this.notMeasuredReason = outcome.notMeasured;
    } catch (e) {
      this.failure = `measurement failed: ${errorMessage(e)}`;
    } finally {
      this.meter.stop();
    }
    this.perRound.push(this.samples.slice(before).filter((s) => !s.warmup).length);
  }

  /** Analyses what was measured and writes the result (invalid when interrupted or failed). */
  async close(): Promise<CellOutcome> {
    const { spec, ctx, raw } = this;
    if (this.active && !spec.signal.aborted) raw.end({ metrics: this.metrics, endedAt: wallClockIso() });
    raw.close();
    if (this.notMeasuredReason && !spec.signal.aborted) return ctx.notMeasured(this.notMeasuredReason, ctx.tools, ctx.workload);
    let failure = this.failure;
    if (spec.signal.aborted) failure = `interrupted after ${this.samples.length} of ${this.total} attempts (raw samples kept)`;
    const result = await ctx.skeleton(ctx.tools, ctx.workload);
    result.rawSamples = { path: relative(spec.outDir, raw.path), format: 'ndjson', sha256: sha256FileSync(raw.path) };
    const notes = [...ctx.notes, ...this.notes];
    if (notes.length) result.notes = notes;
    if (this.series) result.series = this.series;
    if (this.verdicts) result.verdicts = this.verdicts;
    const analysis = analyze(this.metrics, this.samples, { maxFailureRatio: spec.params.maxFailureRatio, bootstrap: { seed: spec.params.seed } });
    result.counts = analysis.counts;
    if (this.perRound.length > 0) result.rounds = { count: this.perRound.length, interleavedCells: this.interleavedCells, samplesPerRound: this.perRound };
    const load = this.meter.result();
    if (load) result.hostLoad = load;
    if (failure || analysis.status === 'invalid') {
      result.status = 'invalid';
      // The first failed attempt's cause (exit code or signal, end of its stderr, a timeout) goes with the reason.
      result.reason = withFirstFailure(failure ?? analysis.reason ?? 'invalid', this.samples);
    } else {
      result.status = 'ok';
      result.metrics = analysis.metrics;
      const note = failureNote(this.samples);
      if (note) result.notes = [...(result.notes ?? []), note];
    }
    writeResult(ctx.resultPath, result);
    const values = new Map<string, number[]>();
    const rounds = new Map<string, number[]>();
    for (const m of this.metrics) {
      values.set(m.name, metricValues(this.samples, m.name));
      rounds.set(m.name, metricRounds(this.samples, m.name));
    }
    return { result, path: ctx.resultPath, values, rounds };
  }
}

/** What an opened cell keeps from opening: the target, workload, tools and the result skeleton. */
interface CellContext {
  target: Target;
  workload: Workload;
  tools: ToolFingerprint[];
  notes: string[];
  resultPath: string;
  skeleton(tools: ToolFingerprint[], workload: Workload | null): Promise<Result>;
  notMeasured(reason: string, tools?: ToolFingerprint[], workload?: Workload | null): Promise<CellOutcome>;
}

/**
 * Opens a cell: probes the target and resolves the workload. An absent runtime, an unusable workload or an
 * unsupported suite gives the written not-measured outcome instead (never a throw).
 */
export async function openCell(spec: CellSpec, rounds = 1): Promise<OpenCell | CellOutcome> {
  const startedAt = wallClockIso();
  // A build named by version that is not in the cache: this cell is not measured (a plan goes on with the others).
  let target: Target | null = null;
  let missingBuild: string | null = null;
  try {
    target = createTarget(spec.layer, spec.runtime, { runId: spec.runId, ...spec.targetOptions });
  } catch (e) {
    if (!(e instanceof BuildMissingError)) throw e;
    missingBuild = `${e.message}; to measure it: bash scripts/build-runtimes.sh build`;
  }
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
  const simulation = target?.simulation ?? null;
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

  if (!target) return notMeasured(missingBuild ?? 'no target');
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
  const plans = spec.suite.rounds ? roundPlans(spec.params, rounds) : [{ round: 0, samples: spec.params.samples, warmup: spec.params.warmup }];
  const total = spec.suite.attempts?.(spec.params, target) ?? spec.params.samples + spec.params.warmup;
  const notes = [...(simulation !== null ? [`simulated: ${simulation}`] : []), ...(avail.notes ?? [])];
  const ctx: CellContext = { target, workload, tools: avail.tools, notes, resultPath, skeleton, notMeasured };
  return new OpenCell(spec, ctx, raw, total, plans);
}

/** Whether openCell gave a finished (not-measured) outcome rather than a cell to measure. */
export function isOutcome(c: OpenCell | CellOutcome): c is CellOutcome {
  return !(c instanceof OpenCell);
}

/** Runs one cell alone, in `rounds` rounds; never throws for an absent runtime (that is a not-measured result). */
export async function runCell(spec: CellSpec, rounds = 1): Promise<CellOutcome> {
  const cell = await openCell(spec, rounds);
  if (isOutcome(cell)) return cell;
  for (const plan of cell.rounds) await cell.measureRound(plan);
  return cell.close();
}
