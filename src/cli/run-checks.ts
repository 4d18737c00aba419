/** Checks `run` makes before anything starts: the per-sample timeout, duplicate cells. Each refusal is a UserError (exit 2). */
import { cellFileStem } from '../run/cell.js';
import type { Suite } from '../run/suite.js';
import type { Layer } from '../result/types.js';
import type { Target } from '../targets/target.js';
import { UserError } from '../util/errors.js';

/** What each layer does about a start that never ends, for the refusal of `--timeout` where it is not applied. */
export const LAYER_TIMEOUTS: Readonly<Record<string, string>> = {
  process: 'every process-layer runtime applies it (eb-launch kills the start and its process group)',
  embedded: 'an in-process instantiation runs on the harness thread and cannot be killed: a module that never returns hangs the run',
  oci: 'no per-start limit: a container that never exits hangs the run until it is interrupted',
  cri: 'a fixed 30 s wait for each container to exit',
  kube: 'its own per-pod limit: --opt pod-timeout-ms=MS (default 60000)',
};

/** Parses a duration: "500ms", "2s", "1.5m", or a bare number of seconds; returns milliseconds. */
export function parseDuration(flag: string, value: string | undefined, maxMs = 24 * 3600 * 1000): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!m) throw new UserError(`--${flag}: "${value}" is not a duration (e.g. 500ms, 10s, 2m)`);
  const n = Number(m[1]);
  const ms = m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
  if (ms < 1 || ms > maxMs) throw new UserError(`--${flag}: ${value} is outside 1ms..${maxMs / 3_600_000}h`);
  return Math.round(ms);
}

/** Refuses `--timeout` for a suite or a target that would not apply it (saying what that layer does instead). */
export function checkTimeoutSupport(suite: Suite, cells: ReadonlyArray<{ layer: Layer; runtime: string; target: Target }>): void {
  if (!suite.sampleTimeouts) throw new UserError(`--timeout: the ${suite.name} suite has no per-sample timeout (it applies to cold-start)`);
  for (const c of cells) {
    if (!c.target.sampleTimeouts) {
      throw new UserError(`--timeout: not applied by ${c.layer}/${c.runtime}: ${LAYER_TIMEOUTS[c.layer] ?? 'it has no per-sample timeout'}`);
    }
  }
}

/** Refuses two cells that would write the same result file (e.g. `--runtime native,native`: the second would overwrite the first). */
export function checkDuplicateCells(suite: string, cells: ReadonlyArray<{ layer: Layer; runtime: string }>, fixtures: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const f of fixtures) {
    for (const c of cells) {
      const stem = cellFileStem(suite, c.layer, c.runtime, f);
      const what = `${c.layer}/${c.runtime} ${f}`;
      const before = seen.get(stem);
      if (before !== undefined) {
        throw new UserError(
          before === what
            ? `run: the cell ${suite} ${what} is named twice (each cell is measured once and writes one result)`
            : `run: the cells ${before} and ${what} would write the same result file ${stem}.json (name one of them)`,
        );
      }
      seen.set(stem, what);
    }
  }
}
