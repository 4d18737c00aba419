/** `edgebench run --plan FILE`: the CLI side of a plan run (signals, progress, the combined report). */
import { join } from 'node:path';
import { loadPlan, type Plan } from '../plan/plan.js';
import { runPlan } from '../plan/run-plan.js';
import { newRunId } from '../util/run-id.js';
import { textTable } from '../output/format.js';
import { RESULT_COLUMNS, resultRows } from '../output/result-table.js';
import { runSummaryLine } from '../output/run-summary.js';
import { UserError } from '../util/errors.js';
import { installInterrupts } from '../util/interrupt.js';
import { prepareOutDir } from '../util/out-dir.js';
import { EXIT } from './command.js';
import { createProgress } from './progress.js';

/** Flags of `run` that a plan replaces. */
const MATRIX_FLAGS = ['layer', 'runtime', 'fixture', 'arg', 'samples', 'warmup', 'max-failure-ratio', 'seed'];

/** A plan whose every runtime gets `run --kubeconfig/--context` as target options (they override the plan's own). */
export function withClusterFlags(plan: Plan, flags: Record<string, unknown>): Plan {
  const given: Record<string, string> = {};
  for (const k of ['kubeconfig', 'context'] as const) if (typeof flags[k] === 'string') given[k] = flags[k] as string;
  if (!Object.keys(given).length) return plan;
  const matrix = plan.matrix.map((e) => ({
    ...e,
    runtimes: e.runtimes.map((r) => (typeof r === 'string' ? { name: r, options: given } : { ...r, options: { ...r.options, ...given } })),
  }));
  return { ...plan, matrix };
}

/** Runs a plan file; resolves with the exit code (1 when a cell is invalid, 130 when interrupted). */
export async function runPlanFromCli(planPath: string, positionals: string[], flags: Record<string, unknown>, out: string | undefined, quiet: boolean): Promise<number> {
  if (positionals.length) throw new UserError(`run --plan: unexpected argument "${positionals[0]}" (the plan names the suites)`);
  const clash = MATRIX_FLAGS.find((f) => flags[f] !== undefined);
  if (clash) throw new UserError(`run --plan: --${clash} cannot be combined with a plan (the plan sets it)`);
  const plan = withClusterFlags(loadPlan(planPath), flags);
  const progress = createProgress();
  const runId = newRunId();
  // --out checked before anything runs (exit 2, nothing left behind); signals handled until the results are written.
  const outDir = prepareOutDir(out ?? 'results', runId);
  const interrupts = installInterrupts();
  let written = 0;
  try {
    const res = await runPlan(plan, planPath, {
      runId, runDir: join(out ?? 'results', runId), signal: interrupts.signal,
      onSample: (label, done, total) => progress.update(label, done, total),
      onCell: (line) => {
        written++;
        progress.done();
        if (!quiet) process.stderr.write(line + '\n');
      },
    });
    const results = res.outcomes.map((o) => o.outcome.result);
    process.stdout.write(`plan ${plan.name}, run ${runId}: ${results.length} result(s) in ${res.runDir}; report ${res.reportPath}\n\n`);
    process.stdout.write(textTable(RESULT_COLUMNS, resultRows(results)) + '\n');
    if (res.unmeasured.length) process.stdout.write(`\n${res.unmeasured.length} cell(s) not measured:\n${res.unmeasured.map((l) => `  ${l}`).join('\n')}\n`);
    const code = interrupts.signal.aborted ? EXIT.interrupted : results.some((r) => r.status === 'invalid') ? EXIT.failed : EXIT.ok;
    process.stdout.write(`\n${runSummaryLine(results, [], code, interrupts.signal.aborted)}\n`);
    return code;
  } finally {
    if (written === 0) outDir.removeIfEmpty();
    interrupts.dispose();
  }
}
