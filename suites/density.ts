/**
 * density: fill one node toward a target number of instances (saturation phase, at a set QPS/burst, waiting
 * per step), then start instances one by one at a low rate (latency phase, the measured samples), in the manner
 * of clusterloader2. Stops at the first failure with its reason. Saturation instances are written raw as
 * warm-up samples; per-step rows (startup quantiles, node and per-instance memory where real) go in `series.steps`.
 */
import { registerSuite, type MeasureContext, type MeasureOutcome } from '../src/run/suite.js';

const num = (v: string | number | undefined, d: number): number => (v === undefined || v === '' ? d : Number(v));

registerSuite({
  name: 'density',
  description: 'instances one node holds: ramp to a target (saturation), then per-instance start latency at that density',
  defaultFixture: 'serve',
  unsupported: (t) => (t.density ? null : `runtime ${t.runtime} at layer ${t.layer} has no density driver`),
  async measure(ctx: MeasureContext): Promise<MeasureOutcome> {
    if (!ctx.target.density) throw new Error('unsupported');
    const x = ctx.params.extra;
    const target = num(x['target'], 3000);
    const notes: string[] = [];
    const out = await ctx.target.density({
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
