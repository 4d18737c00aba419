/**
 * cold-start at the kube layer: one pod at a time on a quiet node, each created, awaited until started (and Ready)
 * and deleted before the next; the startup phases of every measured pod (latency.ts) make the metrics.
 */
import type { MetricSpec } from '../../core/metric.js';
import { accountingNotes, PHASES, phaseTable, type PodTimeline } from '../../kube/latency.js';
import { errorMessage } from '../../util/errors.js';
import type { ColdStartRequest } from '../target.js';
import type { KubeCell } from '../../kube/cell.js';
import { podSample } from '../../kube/pod-sample.js';

/** Runs the cold-start measurement for one RuntimeClass. */
export async function coldStart(cell: KubeCell, req: ColdStartRequest): Promise<MetricSpec[]> {
  const s = await cell.session(cell.simMaxPods ?? 110);
  const timeoutMs = cell.podTimeoutMs;
  const timelines: PodTimeline[] = [];
  try {
    const total = req.warmup + req.samples;
    for (let i = 0; i < total && !req.signal.aborted; i++) {
      const name = `cold-${i}`;
      let error: string | undefined;
      try {
        await cell.createPod(s.conn, s.tracker, s.ns, cell.manifest(name, s.ns, req.workload, s.node), name, req.signal);
        await s.tracker.waitFor(name, 'started', timeoutMs, req.signal);
        const p = s.tracker.pods.get(name);
        if (p && p.phase === 'Running') await s.tracker.waitFor(name, 'ready', 10_000, req.signal).catch(() => undefined);
        // A container that started and at once exited non-zero (a short fixture, or a Wasm module its runtime could not
        // run, e.g. without the module.wasm.image annotation) did not start the workload: a failed sample, not a start.
        if (p?.failure) throw new Error(p.failure);
      } catch (e) {
        error = errorMessage(e);
      }
      const t = s.tracker.pods.get(name)?.timeline;
      if (i >= req.warmup && t && !error) timelines.push(t);
      req.onSample(podSample(i, i < req.warmup, t, error));
      // One pod at a time on a quiet node: wait until it is gone before the next start.
      await s.conn.client
        .request('DELETE', `/api/v1/namespaces/${s.ns}/pods/${name}`, { body: { gracePeriodSeconds: 0 }, accept: [404], ignoreBody: true })
        .catch(() => undefined);
      await s.tracker.waitFor(name, 'deleted', timeoutMs, req.signal).catch(() => undefined);
    }
    const table = phaseTable(timelines);
    for (const n of accountingNotes(table.accounting)) req.onNote?.(n);
    const w = s.conn.client.stats;
    req.onNote?.(
      `API wire: ${w.requests} requests, ${w.retries} retried (${w.throttled} throttled 429, ${w.serverErrors} 5xx), ${w.watchRestarts} watch restarts`,
    );
    return table.metrics.length
      ? table.metrics
      : PHASES.slice(0, 1).map((p) => ({
          name: p.name,
          unit: 'ns',
          better: 'lower',
          clock: { source: 'client-monotonic', resolution: 1 },
          description: p.description,
        }));
  } finally {
    for (const n of await s.close()) req.onNote?.(n);
  }
}
