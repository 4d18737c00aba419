/** Runs a plan: every cell, interleaved round by round (one result each), then a combined report and a line per cell not measured. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeClaims } from '../claims/engine.js';
import { loadClaims, SEED_CLAIMS_PATH } from '../claims/load.js';
import { prMarkdown } from '../publish/pr-markdown.js';
import { observationOf } from '../result/load-observations.js';
import type { CellOutcome, CellSpec } from '../run/cell.js';
import { runInterleaved } from '../run/interleave.js';
import { getSuite, suiteNames } from '../run/suite.js';
import { createTarget } from '../targets/registry.js';
import { UserError } from '../util/errors.js';
import { expandPlan, type Plan, type PlanCell } from './plan.js';

/** Options for a plan run. */
export interface PlanRunOptions {
  runId: string;
  outRoot: string;
  signal: AbortSignal;
  /** Called per finished cell with a one-line description. */
  onCell?: (line: string, outcome: CellOutcome, cell: PlanCell) => void;
  onSample?: (label: string, done: number, total: number) => void;
}

/** What a plan run produced. */
export interface PlanRunOutcome {
  runDir: string;
  outcomes: Array<{ cell: PlanCell; outcome: CellOutcome }>;
  reportPath: string;
  /** One line per cell that was not measured or is invalid. */
  unmeasured: string[];
}

/** Checks every cell's suite and runtime before anything runs (typos are bad input, exit 2). */
export function checkCells(cells: readonly PlanCell[], name: string): void {
  for (const c of cells) {
    const suite = getSuite(c.suite);
    if (!suite) throw new UserError(`${name}: unknown suite "${c.suite}" (known: ${suiteNames().join(', ')})`);
    try {
      suite.validate?.({ ...c.params, extra: c.extra });
      createTarget(c.layer, c.runtime, c.options);
    } catch (e) {
      throw e instanceof UserError ? new UserError(`${name}: ${e.message}`) : e;
    }
  }
}

/** Label of a cell for lines and progress. */
export function cellLabel(c: PlanCell): string {
  return `${c.suite} ${c.layer}/${c.label ?? c.runtime} ${c.fixture ?? '(default fixture)'}`;
}

/** Runs the plan's cells in interleaved rounds; stops taking samples once the signal aborts. */
export async function runPlan(plan: Plan, planPath: string, o: PlanRunOptions): Promise<PlanRunOutcome> {
  const cells = expandPlan(plan, planPath);
  checkCells(cells, planPath);
  const runDir = join(o.outRoot, o.runId);
  const outcomes: PlanRunOutcome['outcomes'] = [];
  const unmeasured: string[] = [];
  const specs: CellSpec[] = cells.map((cell) => {
    const suite = getSuite(cell.suite);
    if (!suite) throw new UserError(`${planPath}: unknown suite "${cell.suite}"`);
    const label = cellLabel(cell);
    return {
      suite, layer: cell.layer, runtime: cell.runtime, targetOptions: cell.options,
      workload: cell.fixture ?? suite.defaultFixture, args: cell.args,
      params: { ...cell.params, extra: cell.extra },
      annotations: { plan: plan.name, runCells: String(cells.length), ...(cell.label ? { runtimeLabel: cell.label } : {}) },
      runId: o.runId, outDir: cell.label ? join(runDir, cell.label) : runDir, signal: o.signal,
      onSample: (_s, done, total) => o.onSample?.(label, done, total),
    };
  });
  // The plan's cells take turns round by round (A B A B …), like a single-suite run's.
  await runInterleaved(specs, (outcome, spec) => {
    const cell = cells[specs.indexOf(spec)] as PlanCell;
    const label = cellLabel(cell);
    outcomes.push({ cell, outcome });
    const r = outcome.result;
    const line = `${label}: ${r.status}${r.reason ? ` (${r.reason})` : ''} → ${outcome.path}`;
    if (r.status !== 'ok') unmeasured.push(`${label}: ${r.status === 'not-measured' ? 'not measured' : 'invalid'}: ${r.reason ?? ''}`);
    o.onCell?.(line, outcome, cell);
  });
  for (const cell of cells.slice(outcomes.length)) unmeasured.push(`${cellLabel(cell)}: not run (interrupted)`);
  const observations = outcomes.map(({ outcome }) => observationOf(outcome.result, outcome.path));
  const verdicts = judgeClaims(loadClaims(SEED_CLAIMS_PATH()).claims, observations);
  const reportPath = join(runDir, 'report.md');
  if (outcomes.length) writeFileSync(reportPath, prMarkdown({ title: `edgebench plan ${plan.name} (run ${o.runId})`, generatedAt: new Date().toISOString(), observations, verdicts }));
  return { runDir, outcomes, reportPath, unmeasured };
}
