/** Run plans: a YAML matrix (schemas/plan.schema.json) expanded into cells. Expansion does no I/O. */
import type { Layer } from '../result/types.js';
import { readDataFile, type DataFileKind } from '../util/data-file.js';
import { UserError } from '../util/errors.js';

/** Common parameters. */
export interface PlanParams {
  samples?: number;
  warmup?: number;
  maxFailureRatio?: number;
  seed?: number;
  /** Rounds the cells take turns in; 0: each layer's default (10 at process and embedded, 1 elsewhere). */
  rounds?: number;
}

/** A runtime in a plan: a name, or a name with a version label and target options. */
export type PlanRuntime = string | { name: string; label?: string; options?: Record<string, string> };

/** One matrix entry. */
export interface PlanEntry {
  suite: string;
  layers: Layer[];
  runtimes: PlanRuntime[];
  fixtures?: string[];
  args?: string[];
  params?: PlanParams;
  extra?: Record<string, string | number>;
}

/** A plan file. */
export interface Plan {
  schema: 'edgebench/plan';
  schemaVersion: 1;
  name: string;
  description?: string;
  defaults?: PlanParams;
  matrix: PlanEntry[];
}

/** One expanded cell. */
export interface PlanCell {
  suite: string;
  layer: Layer;
  runtime: string;
  label: string | null;
  options: Record<string, string>;
  /** null: the suite's default fixture. */
  fixture: string | null;
  args: string[];
  params: Required<PlanParams>;
  extra: Record<string, string | number>;
}

export const PLAN_KIND: DataFileKind = { tag: 'edgebench/plan', version: 1, schemaFile: 'plan.schema.json', noun: 'run plan' };

const BUILTIN: Required<PlanParams> = { samples: 100, warmup: 10, maxFailureRatio: 0.1, seed: 1, rounds: 0 };

/** Reads and validates a plan file. */
export function loadPlan(path: string): Plan {
  return readDataFile<Plan>(path, PLAN_KIND);
}

/** Expands the matrix into cells (entry order, then layer × fixture × runtime); labels must be unique per layer and suite. */
export function expandPlan(plan: Plan, name = plan.name): PlanCell[] {
  const cells: PlanCell[] = [];
  const seen = new Set<string>();
  for (const e of plan.matrix) {
    const params = { ...BUILTIN, ...plan.defaults, ...e.params };
    for (const layer of e.layers) {
      for (const fixture of e.fixtures ?? [null]) {
        for (const r of e.runtimes) {
          const rt = typeof r === 'string' ? { name: r } : r;
          const key = `${e.suite}|${layer}|${rt.label ?? rt.name}|${fixture ?? '-'}`;
          if (seen.has(key)) throw new UserError(`${name}: the cell ${e.suite} ${layer}/${rt.label ?? rt.name}/${fixture ?? 'default fixture'} appears twice (give each runtime version its own label)`);
          seen.add(key);
          cells.push({ suite: e.suite, layer, runtime: rt.name, label: rt.label ?? null, options: rt.options ?? {}, fixture, args: e.args ?? [], params, extra: e.extra ?? {} });
        }
      }
    }
  }
  return cells;
}
