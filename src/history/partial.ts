/**
 * Whether a run about to enter the history is whole: an interrupted cell, fewer results than the run set out to
 * measure (`parameters.runCells`), or a cell killed before its result was written (raw samples with no result beside
 * them) make it partial — appended all the same, with a warning naming what is missing.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Result } from '../result/types.js';
import { displayRuntime } from '../result/label.js';

/** The run id in a raw-samples file's header line, or null when it cannot be read. */
function rawRunId(path: string): string | null {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const first = buf.subarray(0, n).toString('utf8').split('\n')[0] ?? '';
    const h = JSON.parse(first) as { type?: string; runId?: unknown };
    return h.type === 'header' && typeof h.runId === 'string' ? h.runId : null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** One warning line per partial run (empty when every run is whole). */
export function partialRunWarnings(loaded: ReadonlyArray<{ path: string; result: Result }>): string[] {
  const byRun = new Map<string, Array<{ path: string; result: Result }>>();
  for (const l of loaded) byRun.set(l.result.runId, [...(byRun.get(l.result.runId) ?? []), l]);
  const out: string[] = [];
  for (const [runId, items] of byRun) {
    const problems: string[] = [];
    const interrupted = items.filter((i) => i.result.status === 'invalid' && /^interrupted\b/.test(i.result.reason ?? ''));
    if (interrupted.length) {
      problems.push(`interrupted: ${interrupted.map((i) => `${i.result.suite} ${i.result.layer}/${displayRuntime(i.result)}/${i.result.workload?.name ?? '-'} (${i.result.reason})`).join('; ')}`);
    }
    const planned = Math.max(0, ...items.map((i) => Number(i.result.parameters['runCells'] ?? 0)).filter(Number.isFinite));
    if (planned > items.length) problems.push(`${items.length} of the ${planned} cells it set out to measure have a result`);
    // Raw samples whose result file is missing: a cell killed (SIGKILL, a crash) before its result was written.
    const dirs = new Set(items.map((i) => dirname(i.path)));
    const orphans: string[] = [];
    for (const d of dirs) {
      let names: string[];
      try {
        names = readdirSync(d);
      } catch {
        continue;
      }
      for (const n of names) {
        if (!n.endsWith('.samples.ndjson') || existsSync(join(d, n.replace(/\.samples\.ndjson$/, '.json')))) continue;
        if (rawRunId(join(d, n)) === runId) orphans.push(n);
      }
    }
    if (orphans.length) problems.push(`raw samples without a result (a cell killed before its result was written): ${orphans.join(', ')}`);
    if (problems.length) out.push(`run ${runId} is partial: ${problems.join('; ')}`);
  }
  return out;
}
