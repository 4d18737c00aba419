/** How a result names its runtime wherever it is printed: the plan's label, marked when the run was simulated. No I/O. */
import type { Result } from './types.js';

/** Runtime name, with the plan's version label when there is one. */
export function runtimeLabel(r: Result): string {
  const l = r.parameters['runtimeLabel'];
  return typeof l === 'string' ? l : r.runtime;
}

/** " [simulated]" for a simulated result, " [simulated?]" where that is unknown (schema-1 kube), else "". */
export function simulationMark(r: Pick<Result, 'target'>): string {
  return r.target.simulated === true ? ' [simulated]' : r.target.simulated === null ? ' [simulated?]' : '';
}

/** Runtime label as printed: with its simulation mark, so a simulated figure never reads as a real one. */
export function displayRuntime(r: Result): string {
  return `${runtimeLabel(r)}${simulationMark(r)}`;
}

/** Why a result cannot stand for a real node or runtime (simulated, or not known not to be), or null. */
export function simulatedReason(r: Pick<Result, 'target'>): string | null {
  if (r.target.simulated === false) return null;
  return r.target.simulated ? `simulated (${r.target.simulation ?? 'no detail'})` : (r.target.simulation ?? 'whether it was simulated is unknown');
}
