/** cold-start: start the workload from nothing, many times; each start is one sample. */
import { registerSuite, type MeasureContext, type MeasureOutcome } from '../../src/run/suite.js';

registerSuite({
  name: 'cold-start',
  description: 'time from start request to exit (or readiness) of a fresh instance, per start',
  defaultFixture: 'noop',
  sampleTimeouts: true,
  rounds: true,
  unsupported: (t) => (t.coldStart ? null : `runtime ${t.runtime} at layer ${t.layer} cannot start workloads repeatedly`),
  async measure(ctx: MeasureContext): Promise<MeasureOutcome> {
    if (!ctx.target.coldStart) throw new Error('unsupported');
    const notes: string[] = [];
    const metrics = await ctx.target.coldStart({
      workload: ctx.workload,
      samples: ctx.params.samples,
      warmup: ctx.params.warmup,
      onSample: (s) => ctx.record(s),
      signal: ctx.signal,
      onNote: (line) => notes.push(line),
      ...(ctx.params.sampleTimeoutMs ? { timeoutMs: ctx.params.sampleTimeoutMs } : {}),
    });
    return notes.length ? { metrics, notes } : { metrics };
  },
});
