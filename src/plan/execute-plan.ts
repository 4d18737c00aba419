/** The one cell loop: expands a plan, checks its cells, and measures them interleaved round by round (one result each). */
import { join } from 'node:path';
import type { CellOutcome, CellSpec } from '../run/cell.js';
import { runInterleaved } from '../run/interleave.js';
import { getSuite, suiteNames } from '../run/suite.js';
import { BuildMissingError } from '../env/runtime-builds.js';
import { createTarget } from '../targets/registry.js';
import { UserError } from '../util/errors.js';
import { expandPlan, type Plan, type PlanCell } from './plan.js';

/** Options for running a plan's cells. */
export interface PlanRunOptions {
  runId: string;
  /** Folder the results go to (a cell with a runtime label in its own subfolder). */
  runDir: string;
  signal: AbortSignal;
  /** Whether results record the plan's name (false for `run SUITE`, whose one-suite plan is no file). Default true. */
  recordPlan?: boolean;
  /** Per-sample limit for every cell (`run --timeout`; plan files have none yet). */
  sampleTimeoutMs?: number;
  /** Called before each cell is opened (the first call: something is about to be created). */
  onOpen?: () => void;
  /** Called per finished cell with a one-line description. */
  onCell?: (line: string, outcome: CellOutcome, cell: PlanCell) => void;
  onSample?: (label: string, done: number, total: number) => void;
}

/** What running a plan's cells produced. */
export interface PlanExecution {
  runDir: string;
  outcomes: Array<{ cell: PlanCell; outcome: CellOutcome }>;
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
      // A runtime build not in the cache is that cell's "not measured" (written when it runs), not bad input.
      if (e instanceof BuildMissingError) continue;
      throw e instanceof UserError ? new UserError(`${name}: ${e.message}`) : e;
    }
  }
}

/** Label of a cell for lines and progress. */
export function cellLabel(c: PlanCell): string {
  return `${c.suite} ${c.layer}/${c.label ?? c.runtime} ${c.fixture ?? '(default fixture)'}`;
}

/** Runs the plan's cells in interleaved rounds; stops taking samples once the signal aborts. */
export async function executePlan(plan: Plan, name: string, o: PlanRunOptions): Promise<PlanExecution> {
  const cells = expandPlan(plan, name);
  checkCells(cells, name);
  const outcomes: PlanExecution['outcomes'] = [];
  const unmeasured: string[] = [];
  const specs: CellSpec[] = cells.map((cell) => {
    const suite = getSuite(cell.suite);
    if (!suite) throw new UserError(`${name}: unknown suite "${cell.suite}"`);
    const label = cellLabel(cell);
    return {
      suite,
      layer: cell.layer,
      runtime: cell.runtime,
      targetOptions: cell.options,
      workload: cell.fixture ?? suite.defaultFixture,
      args: cell.args,
      params: { ...cell.params, extra: cell.extra, ...(o.sampleTimeoutMs !== undefined ? { sampleTimeoutMs: o.sampleTimeoutMs } : {}) },
      annotations: {
        ...(o.recordPlan === false ? {} : { plan: plan.name }),
        runCells: String(cells.length),
        ...(cell.label ? { runtimeLabel: cell.label } : {}),
      },
      runId: o.runId,
      outDir: cell.label ? join(o.runDir, cell.label) : o.runDir,
      signal: o.signal,
      onSample: (_s, done, total) => o.onSample?.(label, done, total),
    };
  });
  // The cells take turns round by round (A B A B …): drift on the machine falls on all of them alike.
  await runInterleaved(
    specs,
    (outcome, spec) => {
      const cell = cells[specs.indexOf(spec)] as PlanCell;
      const label = cellLabel(cell);
      outcomes.push({ cell, outcome });
      const r = outcome.result;
      const line = `${label}: ${r.status}${r.reason ? ` (${r.reason})` : ''} → ${outcome.path}`;
      if (r.status !== 'ok') unmeasured.push(`${label}: ${r.status === 'not-measured' ? 'not measured' : 'invalid'}: ${r.reason ?? ''}`);
      o.onCell?.(line, outcome, cell);
    },
    o.onOpen,
  );
  for (const cell of cells.slice(outcomes.length)) unmeasured.push(`${cellLabel(cell)}: not run (interrupted)`);
  return { runDir: o.runDir, outcomes, unmeasured };
}
