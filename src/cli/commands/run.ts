/** `edgebench run SUITE`: runs a suite over runtimes × fixtures at one or more layers and writes one result per cell. */
import { withinRunComparisons } from '../../compare/within-run.js';
import { DEFAULT_MAX_FAILURE_RATIO } from '../../core/validity.js';
import { LAYERS } from '../../result/types.js';
import { textTable } from '../../output/format.js';
import { withinRunLines } from '../../output/within-run.js';
import { runSummaryLine } from '../../output/run-summary.js';
import { RESULT_COLUMNS, resultRows } from '../../output/result-table.js';
import type { CellOutcome } from '../../run/cell.js';
import { executePlan } from '../../plan/execute-plan.js';
import { suitePlan } from '../../plan/suite-plan.js';
import { newRunId } from '../../util/run-id.js';
import { getSuite, suiteNames } from '../../run/suite.js';
import { createTarget, runtimesOf } from '../../targets/registry.js';
import type { Target } from '../../targets/target.js';
import { parseRuntimeSpec } from '../../env/runtime-builds.js';
import type { Layer } from '../../result/types.js';
import { UserError } from '../../util/errors.js';
import { installInterrupts } from '../../util/interrupt.js';
import { prepareOutDir } from '../../util/out-dir.js';
import { isFixtureName, resolveWorkload } from '../../fixtures/workload.js';
import { checkDuplicateCells, checkTimeoutSupport, parseDuration } from '../run-checks.js';
import { choiceFlag, intFlag, listFlag, numberFlag, parse } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { createProgress } from '../progress.js';
import { runPlanFromCli } from '../plan-cli.js';
import { displayRuntime } from '../../result/label.js';
import type { Observation } from '../../result/observation.js';

const USAGE = `edgebench run --plan FILE [--out results] [--quiet]     (a YAML run plan, schemas/plan.schema.json)
edgebench run SUITE [--layer process[,embedded...]] [--runtime R[,R...]] [--fixture F[,F...]] [--arg A]...
                    [--kubeconfig F] [--context C] [--opt key=value]...
                    [--samples 100] [--warmup 10] [--rounds N] [--max-failure-ratio 0.1] [--seed N] [--timeout DURATION]
                    [--out results] [--quiet] [--set KEY=VALUE]...
  SUITE       one of the registered suites: {SUITES}
  --layer     layers ({LAYERS}); with several, each runtime runs at those where it exists
  --runtime   runtime names; NAME@VERSION[/VARIANT] picks a build (README: "Real Wasm runtimes"); per layer:
              {RUNTIMES_BY_LAYER}
  --fixture   fixture names ({FIXTURES}) or paths to .wasm files / executables
  --arg       an argument passed to the workload (repeatable)
  --opt       a target setting (repeatable); each target's (others are refused):
              {TARGET_OPTIONS}
  --set       a suite setting (repeatable), e.g. --set target=3000 --set step=100 for density
  --rounds    the cells take turns in N rounds (A B A B …), each with its share of samples and warm-up, so that
              drift on the machine hits every cell alike and compare can see between-round noise (default: 10 at
              the process and embedded layers, 1 elsewhere; suites that cannot be split run whole in one round)
  --timeout   per sample (cold-start, process layer): a start still running after it (500ms, 10s, 2m) is killed
              and counted failed "timed out after ..."; refused where a layer does not apply it
  --out       a folder (created when absent); a file, a kernel filesystem (/proc, /sys) or an unwritable place is
              refused before anything runs, and a refused run leaves no folder behind
A cell named twice is refused. The first SIGINT/SIGTERM stops the run after writing the partial result (invalid,
raw samples kept); later ones only kill the running sample at once (before anything is measured, the second exits).
Exit codes: 0 all cells measured or not measured with a reason; 1 a cell is invalid; 2 bad input; 130 interrupted.`;

/** Parses repeated --opt key=value flags. */
export function keyValues(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const it of items) {
    const eq = it.indexOf('=');
    if (eq <= 0) throw new UserError(`--opt: "${it}" is not key=value`);
    out[it.slice(0, eq)] = it.slice(eq + 1);
  }
  return out;
}

/**
 * The (layer, runtime) cells of a run: with one layer, every runtime at it (an unknown one fails later, naming the
 * known); with several, each runtime at the layers where it is registered, and one registered at none is bad input.
 */
export function layerRuntimePairs(layers: readonly Layer[], runtimes: readonly string[]): Array<[Layer, string]> {
  if (layers.length === 1) return runtimes.map((r) => [layers[0] as Layer, r]);
  const out: Array<[Layer, string]> = [];
  for (const r of runtimes) {
    const at = layers.filter((l) => runtimesOf(l).includes(parseRuntimeSpec(r).base));
    if (!at.length) throw new UserError(`--runtime ${r}: not a runtime at layer ${layers.join(' or ')} (known: ${layers.map((l) => `${l}: ${runtimesOf(l).join(', ')}`).join('; ')})`);
    for (const l of at) out.push([l, r]);
  }
  return out;
}

/** An outcome as an observation (its values and their rounds), for comparing cells of the run just taken. */
export function outcomeObservation(o: CellOutcome): Observation {
  return {
    result: o.result, path: o.path, values: Object.fromEntries(o.values),
    ...(o.rounds && (o.result.rounds?.count ?? 1) > 1 ? { rounds: Object.fromEntries(o.rounds) } : {}),
    source: 'raw-samples',
  };
}

/** Parses --set KEY=VALUE pairs (numbers stay strings; suites parse and range-check them). */
export function settings(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const m = /^([A-Za-z][\w-]*)=(.+)$/.exec(p);
    if (!m) throw new UserError(`--set "${p}": expected KEY=VALUE`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a suite and write results',
  usage: USAGE,
  examples: ['edgebench run cold-start --runtime native,node-wasi --fixture noop,hello --samples 50'],
  async run(argv) {
    const { values, positionals } = parse(
      'run',
      argv,
      {
        layer: { type: 'string' },
        runtime: { type: 'string' },
        fixture: { type: 'string' },
        arg: { type: 'string', multiple: true },
        samples: { type: 'string' },
        warmup: { type: 'string' },
        'max-failure-ratio': { type: 'string' },
        seed: { type: 'string' },
        timeout: { type: 'string' },
        rounds: { type: 'string' },
        out: { type: 'string' },
        quiet: { type: 'boolean' },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        opt: { type: 'string', multiple: true },
        set: { type: 'string', multiple: true },
        plan: { type: 'string' },
      },
      true,
    );
    if (values.plan !== undefined && values.timeout !== undefined) throw new UserError('run --plan: --timeout is not available with a plan yet (give it to a single-suite run)');
    if (values.plan !== undefined) return runPlanFromCli(values.plan, positionals, values, values.out, !!values.quiet);
    const suiteName = positionals[0];
    if (!suiteName) throw new UserError(`run: name a suite (${suiteNames().join(', ')})`);
    if (positionals.length > 1) throw new UserError(`run: unexpected argument "${positionals[1]}"`);
    const suite = getSuite(suiteName);
    if (!suite) throw new UserError(`run: unknown suite "${suiteName}" (known: ${suiteNames().join(', ')})`);
    const layers = listFlag(values.layer, ['process']).map((l) => choiceFlag('layer', l, LAYERS, 'process'));
    const runtimes = listFlag(values.runtime, layers.length === 1 && layers[0] === 'kube' ? ['default'] : ['native', 'node-wasi']);
    const opts = keyValues(values.opt ?? []);
    const targetOptions: Record<string, string> = { ...opts, ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}), ...(values.context ? { context: values.context } : {}) };
    const pairs = layerRuntimePairs(layers, runtimes);
    const runId = newRunId();
    targetOptions['runId'] = runId;
    // Unknown runtime or option → one clear line before anything runs; the same targets are preflighted below.
    const targets = pairs.map(([layer, r]) => createTarget(layer, r, targetOptions));
    const fixtures = listFlag(values.fixture, [suite.defaultFixture]);
    // An unknown fixture name, or a path that is not a module or executable, is bad input before anything runs.
    for (const f of fixtures) if (!isFixtureName(f)) resolveWorkload(f, 'native', values.arg ?? []);
    const params = {
      samples: intFlag('samples', values.samples, 100, 1, 10_000_000),
      warmup: intFlag('warmup', values.warmup, 10, 0, 1_000_000),
      maxFailureRatio: numberFlag('max-failure-ratio', values['max-failure-ratio'], DEFAULT_MAX_FAILURE_RATIO, 0, 1),
      seed: intFlag('seed', values.seed, 1, 0, 2 ** 31 - 1),
      rounds: intFlag('rounds', values.rounds, 0, 0, 10_000),
      extra: settings(values.set ?? []),
      ...(values.timeout !== undefined ? { sampleTimeoutMs: parseDuration('timeout', values.timeout) as number } : {}),
    };
    suite.validate?.(params);
    const cells = pairs.map(([layer, runtime], i) => ({ layer, runtime, target: targets[i] as Target }));
    checkDuplicateCells(suite.name, cells, fixtures);
    if (params.sampleTimeoutMs !== undefined) checkTimeoutSupport(suite, cells);
    // --out: a writable folder on storage, or exit 2 before anything runs; a refused run leaves no folder behind.
    const out = prepareOutDir(values.out ?? 'results', runId);
    const outDir = out.dir;
    const progress = createProgress();
    const outcomes: CellOutcome[] = [];
    // From here every SIGINT/SIGTERM is handled until the results are written: the first stops the run, later ones hurry it.
    let started = false;
    const interrupts = installInterrupts(undefined, () => !started && (out.removeIfEmpty(), true));
    try {
      // Checks that need the target's world (a cluster, its RuntimeClasses, node capacity) before anything is created.
      for (const t of targets) await t.preflight?.(params.extra);
      // One cell loop for runs and plans: this run is a one-suite plan, its cells taking turns round by round.
      const plan = suitePlan({ suite: suite.name, pairs, fixtures, args: values.arg ?? [], params, targetOptions });
      await executePlan(plan, 'run', {
        runId, runDir: outDir, signal: interrupts.signal, recordPlan: false, sampleTimeoutMs: params.sampleTimeoutMs,
        onOpen: () => { started = true; },
        onSample: (label, done, total) => progress.update(label, done, total),
        onCell: (line, o) => {
          progress.done();
          outcomes.push(o);
          if (!values.quiet) process.stderr.write(line + '\n');
        },
      });
    } catch (e) {
      interrupts.dispose();
      throw e;
    } finally {
      if (outcomes.length === 0) out.removeIfEmpty();
    }
    const aborted = interrupts.signal.aborted;
    const results = outcomes.map((o) => o.result);
    process.stdout.write(`run ${runId}: ${results.length} result(s) in ${outDir}\n\n`);
    process.stdout.write(textTable(RESULT_COLUMNS, resultRows(results)) + '\n');
    const rows = withinRunComparisons(outcomes.map(outcomeObservation), 'native', params.seed);
    const cmp = withinRunLines(rows);
    if (cmp.length) process.stdout.write('\n' + cmp.join('\n') + '\n');
    for (const r of results) for (const v of r.verdicts) process.stdout.write(`verdict ${r.suite} ${r.layer}/${displayRuntime(r)}: ${String(v['verdict'])}: ${String(v['claim'])}\n`);
    interrupts.dispose();
    const failed = results.some((r) => r.status === 'invalid' || r.verdicts.some((v) => v['verdict'] === 'refuted'));
    const code = aborted ? EXIT.interrupted : failed ? EXIT.failed : EXIT.ok;
    process.stdout.write(`\n${runSummaryLine(results, rows, code, aborted)}\n`);
    return code;
  },
};
