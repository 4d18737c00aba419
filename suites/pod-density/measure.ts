/**
 * pod density at the kube layer: pods created in steps (token bucket of `burst` at `qps`) until the target or a
 * failure, each step's startup quantiles and the kubelet's memory figures recorded; then latency pods at a steady rate
 * whose startup phases (latency.ts) make the metrics.
 */
import { setMaxListeners } from 'node:events';
import { nowNs } from '../../src/core/clock.js';
import type { MetricSpec } from '../../src/core/metric.js';
import { quantileSorted, sortedCopy } from '../../src/core/quantile.js';
import type { Conn } from '../../src/kube/connection.js';
import { accountingNotes, PHASES, phaseTable, phaseValue, type PodTimeline } from '../../src/kube/latency.js';
import { collectedAfter, oldestNodeStats, podWorkingSet, pollSummary, systemContainerWorkingSets } from '../../src/kube/summary.js';
import { errorMessage } from '../../src/util/errors.js';
import type { KubeCell } from '../../src/kube/cell.js';
import { podSample } from '../../src/kube/pod-sample.js';
import type { KubeRequest } from '../kube-driver.js';

/** A request to fill one node with pods up to a target. */
export interface PodDensityRequest extends KubeRequest {
  /** Instances wanted. */
  target: number;
  /** Creation rate and burst during the saturation phase. */
  qps: number;
  burst: number;
  /** Instances per step; the run waits for each step to be running before the next. */
  step: number;
  stepTimeoutMs: number;
  /** Instances started one by one after saturation (the latency phase); each is a sample. */
  latencySamples: number;
  latencyQps: number;
}

/** What a pod-density run found. */
export interface PodDensityOutcome {
  metrics: MetricSpec[];
  /** One row per saturation step (instances running, step latency quantiles, node/per-instance memory where real). */
  steps: Record<string, unknown>[];
  /** Instances reached and why the ramp stopped early, if it did. */
  reached: number;
  stoppedBecause: string | null;
}

/** Node and per-pod memory from the kubelet summary API, when the node is real. */
async function stepMemory(conn: Conn, node: string | undefined, ns: string, signal: AbortSignal): Promise<Record<string, unknown>> {
  const real = conn.facts.nodes.find((n) => (node ? n.name === node : !n.simulated));
  if (!real || real.simulated) return { memory: 'not measured: simulated node has no kubelet' };
  try {
    // The kubelet's stats are collected every 10–15 s: wait (≤ 20 s) for node stats collected after the step ended.
    const stepEnd = Date.now();
    const sum = await pollSummary(conn.client, real.name, (x) => collectedAfter(oldestNodeStats(x), stepEnd), stepEnd + 20_000, signal);
    const statsTime = oldestNodeStats(sum) ?? null;
    const pods = (sum.pods ?? [])
      .filter((p) => p.podRef.namespace === ns)
      .map((p) => podWorkingSet(p) ?? 0)
      .filter((v) => v > 0);
    const sorted = sortedCopy(pods);
    return {
      nodeWorkingSetBytes: sum.node.memory?.workingSetBytes ?? null,
      systemContainers: systemContainerWorkingSets(sum),
      podWorkingSetBytesP50: pods.length ? quantileSorted(sorted, 0.5) : null,
      podWorkingSetBytesMax: pods.length ? sorted[sorted.length - 1] : null,
      podsWithMemory: pods.length,
      memoryClock: 'kubelet summary API (cAdvisor working set, 1 s timestamps)',
      memoryStatsTime: statsTime,
      memoryStatsFresh: collectedAfter(statsTime, stepEnd),
    };
  } catch (e) {
    return { memory: `not measured: ${errorMessage(e)}` };
  }
}

/** Runs the pod-density measurement for one RuntimeClass. */
export async function podDensity(cell: KubeCell, req: PodDensityRequest): Promise<PodDensityOutcome> {
  setMaxListeners(0, req.signal); // one abort listener per pod awaited in a step (thousands)
  const s = await cell.session(cell.simMaxPods ?? req.target + req.latencySamples + 10);
  const steps: Record<string, unknown>[] = [];
  let reached = 0;
  let stoppedBecause: string | null = null;
  const latencyTimelines: PodTimeline[] = [];
  let index = 0;
  try {
    // Token bucket: `burst` creations at once, refilled at `qps`.
    let tokens = req.burst;
    let last = Date.now();
    const take = async (): Promise<void> => {
      for (;;) {
        const now = Date.now();
        tokens = Math.min(req.burst, tokens + ((now - last) / 1000) * req.qps);
        last = now;
        if (tokens >= 1) {
          tokens -= 1;
          return;
        }
        await new Promise((r) => setTimeout(r, Math.ceil(((1 - tokens) / req.qps) * 1000)));
      }
    };
    while (reached < req.target && !req.signal.aborted && !stoppedBecause) {
      const end = Math.min(req.target, reached + req.step);
      const t0 = nowNs();
      const names: string[] = [];
      const creates: Promise<void>[] = [];
      for (let i = reached; i < end && !req.signal.aborted; i++) {
        await take();
        const name = `sat-${i}`;
        names.push(name);
        const created = cell.createPod(
          s.conn,
          s.tracker,
          s.ns,
          cell.manifest(name, s.ns, req.workload, s.node, { 'edgebench.io/phase': 'saturation' }),
          name,
          req.signal,
        );
        // Handled at once: a create failing (or aborted by SIGINT) while later ones still wait for a token must not be
        // an unhandled rejection; Promise.allSettled below still sees it.
        created.catch(() => undefined);
        creates.push(created);
      }
      const created = await Promise.allSettled(creates);
      const createFail = created.find((c) => c.status === 'rejected');
      if (createFail) {
        stoppedBecause = `create failed: ${errorMessage((createFail as PromiseRejectedResult).reason)}`;
      } else {
        const waits = await Promise.allSettled(names.map((n) => s.tracker.waitFor(n, 'started', req.stepTimeoutMs, req.signal)));
        const fail = waits.find((w) => w.status === 'rejected');
        if (fail) stoppedBecause = errorMessage((fail as PromiseRejectedResult).reason);
      }
      const started = names.filter((n) => s.tracker.pods.get(n)?.timeline.watchStarted);
      reached += started.length;
      const walls = sortedCopy(
        started.map((n) => phaseValue(s.tracker.pods.get(n)!.timeline, PHASES[2]!)).flatMap((v) => (v.status === 'measured' ? [v.ns] : [])),
      );
      for (const n of names)
        req.onSample(
          podSample(index++, true, s.tracker.pods.get(n)?.timeline, s.tracker.pods.get(n)?.timeline.watchStarted ? undefined : 'not started in its step'),
        );
      steps.push({
        pods: reached,
        stepSeconds: Number(nowNs() - t0) / 1e9,
        podStartupP50Ms: walls.length ? quantileSorted(walls, 0.5) / 1e6 : null,
        podStartupP99Ms: walls.length ? quantileSorted(walls, 0.99) / 1e6 : null,
        clock: 'client-monotonic (create sent → watch shows containers running)',
        ...(await stepMemory(s.conn, s.node, s.ns, req.signal)),
      });
      if (stoppedBecause) req.onNote?.(`saturation stopped at ${reached} of ${req.target} pods: ${stoppedBecause}`);
    }
    if (!stoppedBecause && !req.signal.aborted) {
      for (let j = 0; j < req.latencySamples && !req.signal.aborted; j++) {
        const gap = new Promise((r) => setTimeout(r, 1000 / req.latencyQps));
        const name = `lat-${j}`;
        let error: string | undefined;
        try {
          await cell.createPod(s.conn, s.tracker, s.ns, cell.manifest(name, s.ns, req.workload, s.node, { 'edgebench.io/phase': 'latency' }), name, req.signal);
          await s.tracker.waitFor(name, 'started', req.stepTimeoutMs, req.signal);
        } catch (e) {
          error = errorMessage(e);
        }
        const t = s.tracker.pods.get(name)?.timeline;
        if (t && !error) latencyTimelines.push(t);
        req.onSample(podSample(index++, false, t, error));
        await gap;
      }
    }
    const table = phaseTable(latencyTimelines);
    for (const n of accountingNotes(table.accounting)) req.onNote?.(`latency pods: ${n}`);
    const w = s.conn.client.stats;
    req.onNote?.(
      `API wire: ${w.requests} requests, ${w.retries} retried (${w.throttled} throttled 429, ${w.serverErrors} 5xx), ${w.watchRestarts} watch restarts`,
    );
    if (s.node && cell.simulated)
      req.onNote?.(`pods ran on simulated node ${s.node} (start delay ${cell.simStartDelayMs} ms): control plane and harness only, no runtime`);
    return { metrics: table.metrics, steps, reached, stoppedBecause };
  } finally {
    for (const n of await s.close()) req.onNote?.(n);
  }
}
