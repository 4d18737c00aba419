/** The plan of `run SUITE …`: one suite over (layer, runtime) pairs × fixtures, expanding in the order run measures. */
import type { Layer } from '../result/types.js';
import type { SuiteParams } from '../run/suite.js';
import type { Plan, PlanEntry } from './plan.js';

/** What `run SUITE` was given, checked. */
export interface SuiteRun {
  suite: string;
  /** (layer, runtime) pairs: each runtime at the layers where it exists. */
  pairs: ReadonlyArray<readonly [Layer, string]>;
  fixtures: readonly string[];
  args: string[];
  params: SuiteParams;
  targetOptions: Record<string, string>;
}

/**
 * A one-suite plan: with one layer a single entry (it expands fixture, then runtime: the run's order); with several,
 * one entry per cell (fixture, then each pair), since an entry would cross every layer with every runtime.
 */
export function suitePlan(r: SuiteRun): Plan {
  const { samples, warmup, maxFailureRatio, seed, rounds = 0, extra } = r.params;
  const entry = (layers: Layer[], runtimes: readonly string[], fixtures: string[]): PlanEntry => ({
    suite: r.suite,
    layers,
    runtimes: runtimes.map((name) => ({ name, options: r.targetOptions })),
    fixtures,
    args: r.args,
    params: { samples, warmup, maxFailureRatio, seed, rounds },
    extra,
  });
  const layers = [...new Set(r.pairs.map(([l]) => l))];
  const matrix =
    layers.length === 1
      ? [
          entry(
            layers,
            r.pairs.map(([, rt]) => rt),
            [...r.fixtures],
          ),
        ]
      : r.fixtures.flatMap((f) => r.pairs.map(([l, rt]) => entry([l], [rt], [f])));
  return { schema: 'edgebench/plan', schemaVersion: 1, name: r.suite, matrix };
}
