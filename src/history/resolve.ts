/** Resolves a command-line reference — a result file, a folder of results, or a run id in the history — to observations. */
import { existsSync } from 'node:fs';
import { loadObservations } from '../result/load-observations.js';
import type { Observation } from '../result/observation.js';
import { UserError } from '../util/errors.js';
import { hasRun, historyDir, loadRun } from './store.js';

/** Observations named by `ref`: a path when it exists, else a run id looked up under `root`. */
export function observationsFor(ref: string, root: string): Observation[] {
  if (existsSync(ref)) return loadObservations([ref]);
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(ref) && hasRun(root, ref)) return loadRun(root, ref);
  throw new UserError(`${ref}: no such result file or folder, and no run with that id in ${historyDir(root)}`);
}
