/** Loads result files named on the command line: files, or folders searched for result JSON files. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors.js';
import { readResult } from './io.js';
import type { Result } from './types.js';

/** Expands folders into the .json files they hold (recursively), in sorted order. */
export function expandResultPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new UserError(`${p}: no such file or folder`);
    }
    if (st.isDirectory()) {
      for (const e of readdirSync(p).sort()) {
        const child = join(p, e);
        // The history store (results/history: run records + index.ndjson) is read by `history`, not as results.
        if (statSync(child).isDirectory()) {
          if (!existsSync(join(child, 'index.ndjson'))) walk(child);
        }
        else if (e.endsWith('.json') && !e.startsWith('index')) out.push(child);
      }
    } else out.push(p);
  };
  paths.forEach(walk);
  return out;
}

/** Reads and validates every result named; the first bad file stops with a clear error. */
export function loadResults(paths: readonly string[]): { path: string; result: Result }[] {
  const files = expandResultPaths(paths);
  if (files.length === 0) throw new UserError(`no result files in ${paths.join(', ')}`);
  return files.map((path) => ({ path, result: readResult(path) }));
}
