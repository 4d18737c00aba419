/**
 * hot-update (kube layer): a Deployment behind a Service is rolled to a new version (RollingUpdate with
 * --set max-surge / max-unavailable, HTTP readiness probe unless --set readiness=false) under a steady open-loop
 * HTTP load. Requests sent and failed (with reasons) and a coordinated-omission-corrected HDR latency histogram
 * cover the rollout; the zero-downtime verdict holds only when every rollout completed with zero failed requests.
 * Each rollout is one sample (--set rollouts=N).
 */
import { CLIENT_MONOTONIC } from '../../src/core/clock.js';
import type { MetricSpec } from '../../src/core/metric.js';
import { registerSuite, type MeasureContext, type MeasureOutcome } from '../../src/run/suite.js';
import { checkSettings, tableInt, type Settings } from '../../src/run/settings.js';
import { UserError } from '../../src/util/errors.js';
import { hotUpdate } from './measure.js';
import { kubeOf, needsKube } from '../kube-driver.js';

const INTS: Record<string, [number, number, number]> = {
  // key: [default, min, max]
  replicas: [2, 1, 100],
  'max-surge': [1, 0, 100],
  'max-unavailable': [0, 0, 100],
  rate: [100, 1, 10_000],
  port: [8080, 1, 65_535],
  'new-start-delay-ms': [2000, 0, 600_000],
  'drain-ms': [2000, 0, 600_000],
  'settle-ms': [3000, 0, 600_000],
  'timeout-ms': [120_000, 1000, 3_600_000],
  rollouts: [1, 1, 100],
};
const KNOWN = [...Object.keys(INTS), 'readiness'];

const int = (extra: Settings, k: string): number => tableInt(extra, INTS, k);

function check(extra: Record<string, string | number>): void {
  checkSettings(extra, 'hot-update', INTS, KNOWN);
  const r = extra['readiness'];
  if (r !== undefined && r !== 'true' && r !== 'false') throw new UserError(`--set readiness=${r}: expected true or false`);
  if (int(extra, 'max-surge') === 0 && int(extra, 'max-unavailable') === 0)
    throw new UserError('--set max-surge=0 with max-unavailable=0: Kubernetes refuses a rolling update that can make no progress');
}

export const METRICS: MetricSpec[] = [
  {
    name: 'rollout',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: 'update request sent → watch shows the rollout complete (kubectl rollout status rule)',
  },
  {
    name: 'old_pods_stopped',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: 'update request sent → the last pod of the old version stops answering GET / at its pod IP (probed every 100 ms)',
  },
  {
    name: 'old_pod_served_after_delete',
    unit: 'ns',
    better: 'neither',
    clock: CLIENT_MONOTONIC,
    description:
      'longest time an old pod kept answering after the watch showed it Terminating: ≈ drain-ms when the server honours SIGTERM, ≈ the grace period when it ignores it (Wasm under crun+WasmEdge)',
  },
  {
    name: 'requests_sent',
    unit: 'requests',
    better: 'neither',
    clock: CLIENT_MONOTONIC,
    description: 'requests due during the sample (open loop: settle, rollout, settle)',
  },
  {
    name: 'requests_failed',
    unit: 'requests',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: 'requests that failed (refused, reset, timeout, non-200, no ready endpoint)',
  },
  {
    name: 'latency_p99',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: 'p99 request latency from the intended send instant (coordinated-omission corrected)',
  },
  { name: 'latency_max', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'max request latency from the intended send instant' },
];

registerSuite({
  name: 'hot-update',
  description: 'rolling update of a Deployment under steady HTTP load (kube layer): requests failed, latency (HDR, CO-corrected), zero-downtime verdict',
  defaultFixture: 'http',
  unsupported: needsKube('rolling-update'),
  validate: (p) => check(p.extra),
  async measure(ctx: MeasureContext): Promise<MeasureOutcome> {
    const kube = kubeOf(ctx);
    const x = ctx.params.extra;
    const notes: string[] = [];
    const series: Record<string, unknown[]> = { rollouts: [] };
    const readiness = x['readiness'] !== 'false';
    const cfg = {
      replicas: int(x, 'replicas'),
      maxSurge: int(x, 'max-surge'),
      maxUnavailable: int(x, 'max-unavailable'),
      readiness,
      rate: int(x, 'rate'),
      port: int(x, 'port'),
      newStartDelayMs: int(x, 'new-start-delay-ms'),
      drainMs: int(x, 'drain-ms'),
      settleMs: int(x, 'settle-ms'),
      timeoutMs: int(x, 'timeout-ms'),
    };
    let sent = 0;
    let failed = 0;
    let completed = 0;
    const n = int(x, 'rollouts');
    for (let i = 0; i < n && !ctx.signal.aborted; i++) {
      const out = await hotUpdate(kube, { workload: ctx.workload, ...cfg, onNote: (l) => notes.push(l), signal: ctx.signal });
      if (out.notMeasured) return { metrics: METRICS, notMeasured: out.notMeasured, notes };
      if (i === 0) notes.push(`traffic: ${out.trafficPath}`);
      const l = out.load!;
      sent += l.sent;
      failed += l.failed;
      if (out.rolloutNs !== undefined) completed++;
      (series['rollouts'] as unknown[]).push({
        rollout: i,
        sent: l.sent,
        ok: l.ok,
        failed: l.failed,
        failures: l.failures,
        quantilesNs: l.quantilesNs,
        maxSendLagNs: l.maxSendLagNs,
        rolloutNs: out.rolloutNs ?? null,
        rolloutError: out.rolloutError ?? null,
        events: out.events,
        timeline: l.timeline,
        perEndpoint: l.perEndpoint,
        latencyHistogram: l.latency,
        serviceTimeHistogram: l.serviceTime,
        latencyClock: l.clock,
      });
      const values: Record<string, number> = {
        requests_sent: l.sent,
        requests_failed: l.failed,
        latency_p99: l.quantilesNs.p99,
        latency_max: l.quantilesNs.max,
      };
      if (out.rolloutNs !== undefined) values['rollout'] = out.rolloutNs;
      const stopped = out.events.find((e) => typeof e['oldPodsStoppedNs'] === 'number');
      const gone = stopped?.['oldPodsStoppedNs'];
      const after = stopped?.['oldPodServedAfterDeleteNs'];
      if (typeof gone === 'number') values['old_pods_stopped'] = gone;
      if (typeof after === 'number') values['old_pod_served_after_delete'] = after;
      ctx.record(
        out.rolloutNs !== undefined
          ? { index: i, warmup: false, ok: true, values }
          : { index: i, warmup: false, ok: false, error: out.rolloutError ?? 'rollout incomplete', values },
      );
      notes.push(
        `rollout ${i}: ${l.sent} requests sent, ${l.failed} failed${
          l.failed
            ? ` (${Object.entries(l.failures)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')})`
            : ''
        }; rollout ${out.rolloutNs !== undefined ? `${(out.rolloutNs / 1e6).toFixed(0)} ms` : `incomplete: ${out.rolloutError}`}; old pods stopped answering ${typeof gone === 'number' ? `${(gone / 1e6).toFixed(0)} ms after the update, each at most ${((after as number) / 1e6).toFixed(0)} ms after Terminating` : 'not seen'}; p99 ${(l.quantilesNs.p99 / 1e6).toFixed(1)} ms`,
      );
    }
    const holds = !ctx.signal.aborted && completed === n && sent > 0 && failed === 0;
    const verdict = {
      claim: `zero downtime: rolling update maxSurge=${cfg.maxSurge}, maxUnavailable=${cfg.maxUnavailable}${readiness ? ', HTTP readiness probe' : ', no readiness probe'} loses no request`,
      verdict: ctx.signal.aborted ? 'not measured (interrupted)' : holds ? 'holds' : 'refuted',
      requestsSent: sent,
      requestsFailed: failed,
      rolloutsCompleted: completed,
      rollouts: n,
      rule: 'holds only when every rollout completed and not one request failed',
    };
    notes.push(`zero-downtime verdict: ${verdict.verdict} (${failed} of ${sent} requests failed over ${completed}/${n} completed rollouts)`);
    return { metrics: METRICS, series, notes, verdicts: [verdict] };
  },
});
