/**
 * Runs a run's cells in interleaved rounds: every cell is opened first, then round 1 of each cell, round 2 of each,
 * … (A B A B …), so that drift on the machine (a noisy neighbour, thermal state, a background job) falls on every
 * cell alike and between-round variation can be measured; then every cell is closed and written. A suite that
 * cannot be split (density, the kube suites) is measured whole in the first round.
 */
import type { Layer } from '../result/types.js';
import { isOutcome, openCell, type CellOutcome, type CellSpec, type OpenCell } from './cell.js';

/** Rounds per cell when the run names none: process starts are cheap to interleave; other layers measure whole. */
export function defaultRounds(layer: Layer): number {
  return layer === 'process' || layer === 'embedded' ? 10 : 1;
}

/** Rounds a cell is measured in: its params' rounds when set (> 0), else its layer's default. */
export function roundsFor(spec: Pick<CellSpec, 'layer' | 'params'>): number {
  return spec.params.rounds && spec.params.rounds > 0 ? spec.params.rounds : defaultRounds(spec.layer);
}

/** Called as each cell is written (in the order the cells were given). */
export type CellDone = (outcome: CellOutcome, spec: CellSpec) => void;

/**
 * Opens, measures round by round, and closes the cells; stops taking samples once the signal aborts (the cells
 * opened so far are still written, as interrupted). Cells not yet opened when it aborts are left out.
 */
export async function runInterleaved(specs: readonly CellSpec[], onDone?: CellDone, onOpen?: () => void): Promise<CellOutcome[]> {
  const opened: Array<{ spec: CellSpec; cell: OpenCell | CellOutcome }> = [];
  for (const spec of specs) {
    if (spec.signal.aborted) break;
    onOpen?.();
    opened.push({ spec, cell: await openCell(spec, roundsFor(spec)) });
  }
  const live = opened.map((o) => o.cell).filter((c): c is OpenCell => !isOutcome(c));
  for (const c of live) if (c.rounds.length > 1) c.interleavedCells = live.length;
  const most = Math.max(0, ...live.map((c) => c.rounds.length));
  for (let r = 0; r < most; r++) {
    // A cell whose signal has aborted takes no more samples (measureRound returns at once).
    for (const cell of live) {
      const plan = cell.rounds[r];
      if (plan) await cell.measureRound(plan);
    }
  }
  const outcomes: CellOutcome[] = [];
  for (const { spec, cell } of opened) {
    const outcome = isOutcome(cell) ? cell : await cell.close();
    outcomes.push(outcome);
    onDone?.(outcome, spec);
  }
  return outcomes;
}
