/**
 * pod-density (kube layer): fill one node toward a target number of instances (saturation phase, at a set QPS/burst, waiting
 * per step), then start instances one by one at a low rate (latency phase, the measured samples), in the manner
 * of clusterloader2. Stops at the first failure with its reason. Saturation instances are written raw as
 * warm-up samples; per-step rows (startup quantiles, node and per-instance memory where real) go in `series.steps`.
 */
import { registerSuite, type MeasureContext, type MeasureOutcome } from '../../src/run/suite.js';
import { UserError } from '../../src/util/errors.js';
import { podDensity } from './measure.js';
import { kubeOf, needsKube } from '../kube-driver.js';

const KNOWN = ['target', 'qps', 'burst', 'step', 'step-timeout-ms', 'latency-samples', 'latency-qps'];

/** A positive number setting (range-checked, else one UserError line). */
function num(v: string | number | undefined, d: number, key = '', max = 1_000_000): number {
  if (v === undefined || v === '') return d;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new UserError(`--set ${key}=${v}: expected a number in (0, ${max}]`);
  return n;
}

/** Checks the suite's --set keys and values. */
function check(extra: Record<string, string | number>): void {
  for (const k of Object.keys(extra)) if (!KNOWN.includes(k)) throw new UserError(`--set ${k}: not a pod-density setting (known: ${KNOWN.join(', ')})`);
  for (const k of KNOWN) num(extra[k], 1, k, k.endsWith('-ms') ? 3_600_000 : 1_000_000);
}

registerSuite({
  name: 'pod-density',
  description: 'pods one node holds (kube layer, clusterloader2-style): ramp to --set target at --set qps/burst, then per-pod start latency at that density',
  defaultFixture: 'serve',
  unsupported: needsKube('pod-density'),
  validate: (p) => check(p.extra),
  async measure(ctx: MeasureContext): Promise<MeasureOutcome> {
    const kube = kubeOf(ctx);
    const x = ctx.params.extra;
    const target = num(x['target'], 3000);
    const notes: string[] = [];
    const out = await podDensity(kube, {
      workload: ctx.workload,
      target,
      qps: num(x['qps'], 50),
      burst: num(x['burst'], 100),
      step: num(x['step'], Math.max(1, Math.ceil(target / 6))),
      stepTimeoutMs: num(x['step-timeout-ms'], 300_000),
      latencySamples: num(x['latency-samples'], Math.min(ctx.params.samples, 50)),
      latencyQps: num(x['latency-qps'], 5),
      onSample: (s) => ctx.record(s),
      onNote: (l) => notes.push(l),
      signal: ctx.signal,
    });
    notes.unshift(out.stoppedBecause ? `reached ${out.reached} of ${target}; stopped: ${out.stoppedBecause}` : `reached ${out.reached} of ${target}`);
    if (out.stoppedBecause) {
      // The run did not reach its target: no latency-phase samples, and one failed sample that says why.
      ctx.record({ index: -1, warmup: false, ok: false, error: `density stopped at ${out.reached} of ${target}: ${out.stoppedBecause}`, values: {} });
    }
    return { metrics: out.metrics, series: { steps: out.steps }, notes };
  },
});
