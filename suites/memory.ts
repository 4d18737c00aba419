/** memory: the marginal memory of one more long-running instance, measured as instances are added one at a time (each addition is a sample). */
import type { MetricSpec, Sample } from '../src/core/metric.js';
import { registerSuite, type MeasureContext, type MeasureOutcome } from '../src/run/suite.js';
import type { DensityStep } from '../src/targets/density.js';

const METRICS: MetricSpec[] = [
  { name: 'cgroup_bytes', unit: 'bytes', clock: { source: 'cgroup', resolution: 4096, detail: 'memory.usage_in_bytes (v1) / memory.current (v2) of the instance cgroups, difference per added instance' }, description: 'memory charged to the added instance\'s cgroup' },
  { name: 'pss_bytes', unit: 'bytes', clock: { source: 'procfs', resolution: 1024, detail: '/proc/PID/smaps_rollup Pss of the instance init (+ its containerd shim), difference per added instance' }, description: 'proportional set size of the added instance\'s processes' },
  { name: 'host_bytes', unit: 'bytes', clock: { source: 'procfs', resolution: 1024, detail: '/proc/meminfo MemTotal − MemAvailable, difference per added instance (host-wide: noisy when other work runs)' }, description: 'host memory taken by the added instance, kernel state included' },
];

registerSuite({
  name: 'memory',
  description: 'marginal memory per long-running instance (cgroup, PSS incl. shim, host), instances added one at a time; --samples instances',
  defaultFixture: 'serve',
  unsupported: (t) => (t.density ? null : `runtime ${t.runtime} at layer ${t.layer} cannot start long-running instances`),
  async measure(ctx: MeasureContext): Promise<MeasureOutcome> {
    if (!ctx.target.density) throw new Error('unsupported');
    let prev: DensityStep | null = null;
    let index = 0;
    const warmup = ctx.params.warmup;
    const out = await ctx.target.density({
      workload: ctx.workload,
      target: ctx.params.samples + warmup,
      step: 1,
      minAvailableBytes: 2 * 2 ** 30,
      onStart: (s) => {
        if (!s.ok) ctx.record({ ...s, index: index++, warmup: index <= warmup });
      },
      onStep: (st) => {
        const p = prev;
        const pss = (x: DensityStep): number => x.pssBytes + x.shimPssBytes;
        const s: Sample = {
          index,
          warmup: index < warmup,
          ok: true,
          values: {
            cgroup_bytes: st.cgroupBytes - (p?.cgroupBytes ?? 0),
            pss_bytes: pss(st) - (p ? pss(p) : 0),
            host_bytes: st.hostDeltaBytes - (p?.hostDeltaBytes ?? 0),
          },
        };
        index++;
        ctx.record(s);
        prev = st;
      },
      signal: ctx.signal,
    });
    const notes = [...out.notes];
    if (out.failure) notes.push(`first failure: ${out.failure}`);
    if (out.stoppedBecause) notes.push(out.stoppedBecause);
    return { metrics: METRICS, series: { steps: out.steps }, notes };
  },
});
