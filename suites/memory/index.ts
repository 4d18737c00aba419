/**
 * memory: the memory of each long-running instance.
 * oci/cri: instances added one at a time, each read right after it started (each instance is a sample).
 * kube: --samples pods started together and left running, each read once the kubelet reports it, plus the control
 * plane's memory read --set control-plane-samples times (K3s server/agent memory; /proc when the harness runs on the node).
 */
import type { MetricSpec, Sample } from '../../src/core/metric.js';
import { checkSettings, tableInt } from '../../src/run/settings.js';
import { registerSuite, type MeasureContext, type MeasureOutcome } from '../../src/run/suite.js';
import { noFleet, runDensity } from '../density/run.js';
import { KUBE, podMemory } from './kube.js';

const METRICS: MetricSpec[] = [
  {
    name: 'cgroup_bytes',
    unit: 'bytes',
    better: 'lower',
    clock: {
      source: 'cgroup',
      resolution: 4096,
      detail: 'memory.usage_in_bytes (v1) / memory.current (v2) of the instance cgroups, of the newest instance, read right after it started',
    },
    description: "memory charged to one instance's cgroup",
  },
  {
    name: 'pss_bytes',
    unit: 'bytes',
    better: 'lower',
    clock: {
      source: 'procfs',
      resolution: 1024,
      detail: "/proc/PID/smaps_rollup Pss of the newest instance's init (+ its containerd shim), read right after it started",
    },
    description: "proportional set size of one instance's processes (+ shim)",
  },
];

registerSuite({
  name: 'memory',
  description: 'marginal memory per long-running instance (cgroup, PSS incl. shim, host), instances added one at a time; --samples instances',
  defaultFixture: 'serve',
  unsupported: (t) => (t.kube ? null : noFleet(t)),
  validate: (p) => checkSettings(p.extra, 'memory', KUBE),
  attempts: (p, t) => p.samples + p.warmup + (t.kube ? tableInt(p.extra, KUBE, 'control-plane-samples') : 0),
  async measure(ctx: MeasureContext): Promise<MeasureOutcome> {
    if (ctx.target.kube) return podMemory(ctx, ctx.target.kube);
    if (!ctx.target.fleet) throw new Error('unsupported');
    let index = 0;
    const warmup = ctx.params.warmup;
    const out = await runDensity(ctx.target, {
      workload: ctx.workload,
      target: ctx.params.samples + warmup,
      step: 1,
      minAvailableBytes: 2 * 2 ** 30,
      onStart: (s) => {
        if (!s.ok) ctx.record({ ...s, index: index++, warmup: index <= warmup });
      },
      onStep: (st) => {
        const s: Sample = { index, warmup: index < warmup, ok: st.newest !== undefined, values: {} };
        if (st.newest) s.values = { cgroup_bytes: st.newest.cgroupBytes, pss_bytes: st.newest.pssBytes + st.newest.shimPssBytes };
        else s.error = 'instance vanished before it could be measured';
        index++;
        ctx.record(s);
      },
      signal: ctx.signal,
    });
    const notes = [...out.notes];
    if (out.failure) notes.push(`first failure: ${out.failure}`);
    if (out.stoppedBecause) notes.push(out.stoppedBecause);
    // Host-wide MemAvailable differences per single instance are below the noise of a shared machine (they go
    // negative), so they stay in the series and the note, not in the per-sample distributions.
    const final = out.steps.at(-1);
    if (final)
      notes.push(`host MemTotal−MemAvailable grew ${(final.hostDeltaBytes / 2 ** 20).toFixed(1)} MiB over ${final.instances} instances (host-wide, noisy)`);
    return { metrics: METRICS, series: { steps: out.steps }, notes };
  },
});
