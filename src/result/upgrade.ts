/**
 * Reads older result versions as the current one. Version 1 had no target block and no metric directions:
 * the directions come from legacyBetter (what version 1 could hold), and whether a kube result ran on a
 * simulated node is unknown unless its notes say so — so such a result never judges a real-node claim.
 */
import { legacyBetter } from './legacy.js';
import { RESULT_SCHEMA_VERSION, type Result, type TargetSetup } from './types.js';

/** A version-1 result as written (validated against schemas/result.v1.schema.json before it gets here). */
type ResultV1 = Omit<Result, 'schemaVersion' | 'target' | 'metrics'> & {
  schemaVersion: 1;
  metrics: Array<Omit<Result['metrics'][number], 'better'>>;
};

/** Why a version-1 kube result's node is unknown. */
export const V1_KUBE_UNKNOWN = 'unknown: a schema-1 result did not record whether its pods ran on a simulated node';

/** The target block a version-1 result implies. */
function v1Target(r: ResultV1): TargetSetup {
  if (r.layer !== 'kube') return { options: {}, simulated: false };
  const note = (r.notes ?? []).find((n) => /simulated node/.test(n) && !/not measured/.test(n));
  if (note) return { options: {}, simulated: true, simulation: note };
  return { options: {}, simulated: null, simulation: V1_KUBE_UNKNOWN };
}

/** Upgrades a valid version-1 result to the current version (pure; the input is not changed). */
export function upgradeV1(r: ResultV1): Result {
  const { metrics, ...rest } = r;
  return {
    ...rest,
    // node-wasi-inproc instantiates inside the harness: version 1 filed it under process; it is the embedded layer.
    layer: r.runtime === 'node-wasi-inproc' && r.layer === 'process' ? 'embedded' : r.layer,
    schemaVersion: RESULT_SCHEMA_VERSION,
    target: v1Target(r),
    metrics: metrics.map((m) => ({ ...m, better: legacyBetter(m.name) })),
  };
}
