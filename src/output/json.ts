/** `report --format json`: each result projected to what a script needs (identity, status, counts, summaries, p50/p99 CIs). No I/O. */
import type { Result } from '../result/types.js';
import type { Renderer } from './renderer.js';
import { resultsOf } from './report-input.js';

/** The projection of one result. */
function jsonProjection(r: Result): Record<string, unknown> {
  return {
    runId: r.runId,
    suite: r.suite,
    layer: r.layer,
    runtime: r.runtime,
    simulated: r.target.simulated,
    ...(r.target.simulation ? { simulation: r.target.simulation } : {}),
    workload: r.workload?.name ?? null,
    status: r.status,
    reason: r.reason ?? null,
    counts: r.counts,
    metrics: r.metrics.map((m) => ({
      name: m.name,
      unit: m.unit,
      better: m.better,
      clock: m.clock,
      summary: m.summary,
      ci: { p50: [m.ci.p50.low, m.ci.p50.high], p99: [m.ci.p99.low, m.ci.p99.high] },
    })),
  };
}

/** The results as a JSON array of projections. */
export const jsonRenderer: Renderer = {
  format: 'json',
  render: (input) => JSON.stringify(resultsOf(input).map(jsonProjection), null, 2) + '\n',
};
