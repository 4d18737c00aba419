/**
 * Every metric any suite or target can declare says which way is better (never inferred from its unit).
 * Walks the exports of every module under suites/ and src/targets/ (recursively): metric lists, metric records, and
 * functions named *Metrics (called with a clock), and checks each declaration.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_MONOTONIC } from '../../src/core/clock.js';
import { metricSpecProblem } from '../../src/core/metric.js';
import { suiteNames } from '../../src/run/suite.js';
import { repoPath } from '../../src/util/paths.js';
import '../../suites/index.js';

interface Found { where: string; name: string; better: unknown; problem: string | null }

/** TypeScript modules under a folder, recursively. */
function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? modules(join(dir, e.name)) : e.name.endsWith('.ts') && !/-(main|runner)\.ts$/.test(e.name) ? [join(dir, e.name)] : []));
}

const isSpec = (v: unknown): v is { name: string; unit: string; clock: unknown; better?: unknown } =>
  typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string' && typeof (v as { unit?: unknown }).unit === 'string' && 'clock' in v && 'description' in v;

/** Metric declarations reachable from a module's exports. */
function declarations(where: string, exported: Record<string, unknown>): Found[] {
  const out: Found[] = [];
  const take = (label: string, v: unknown): void => {
    const list = Array.isArray(v) ? v : typeof v === 'object' && v !== null && !isSpec(v) ? Object.values(v) : [v];
    for (const s of list) if (isSpec(s)) out.push({ where: `${where}:${label}`, name: s.name, better: s.better, problem: metricSpecProblem(s) });
  };
  for (const [k, v] of Object.entries(exported)) {
    if (typeof v === 'function' && /Metrics$/.test(k)) {
      // Metric-list builders take a clock (or clock + descriptions); anything else they need is not a declaration.
      try {
        take(k, (v as (...a: unknown[]) => unknown)(CLIENT_MONOTONIC, new Proxy({}, { get: () => 'd' })));
      } catch {
        /* not a builder */
      }
    } else take(k, v);
  }
  return out;
}

describe('metric directions', async () => {
  const root = repoPath();
  const files = [...modules(repoPath('suites')), ...modules(repoPath('src', 'targets'))];
  const found: Found[] = [];
  for (const f of files) found.push(...declarations(relative(root, f), (await import(f)) as Record<string, unknown>));

  it('finds the declarations of every layer and of the suites that declare their own', () => {
    const where = new Set(found.map((f) => f.where.split('/').slice(0, -1).join('/')));
    for (const dir of ['src/targets/process', 'src/targets/oci', 'src/targets/cri']) expect(where, dir).toContain(dir);
    // The kube measurements live in their suites' folders (suites/<name>/), walked recursively.
    for (const dir of ['suites/hot-update', 'suites/scale-out', 'suites/autoscale', 'suites/offline', 'suites/memory']) expect(where, dir).toContain(dir);
    expect(found.length).toBeGreaterThanOrEqual(40);
    expect(suiteNames().length).toBeGreaterThanOrEqual(8);
  });

  it('every declared metric has a direction', () => {
    expect(found.filter((f) => f.problem !== null).map((f) => `${f.where} ${f.name}: ${f.problem}`)).toEqual([]);
  });

  it('failures are lower-is-better and offered load is neither, though both are counted in requests', () => {
    const of = (name: string): unknown[] => [...new Set(found.filter((f) => f.name === name).map((f) => f.better))];
    expect(of('requests_failed')).toEqual(['lower']);
    expect(of('requests_sent')).toEqual(['neither']);
    expect(of('wall')).toEqual(['lower']);
    expect(of('peak_rss')).toEqual(['lower']);
  });
});
