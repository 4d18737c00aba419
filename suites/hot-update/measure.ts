/**
 * hot-update's measurement: a Deployment behind a Service rolled to a new version under steady load, in the cell's
 * own namespace (removed at the end, also on error and interrupt) against the real Deployment/ReplicaSet controllers,
 * scheduler and kubelet. Traffic goes to the Service's ready endpoints (pod IPs, followed by watching the Endpoints
 * object), not through a kube-proxy VIP: the local cluster has no kube-proxy, and K3s users who have one can point k6
 * at the Service.
 */
import { nowNs } from '../../src/core/clock.js';
import type { LoadReport } from '../../src/load/http-load.js';
import { errorMessage } from '../../src/util/errors.js';
import { deploymentManifest, EndpointsFollower, serviceManifest, waitRollout } from '../../src/kube/deploy.js';
import type { KubeCell } from '../../src/kube/cell.js';
import { StopWatcher } from '../../src/kube/serving.js';
import { sleep } from '../../src/util/sleep.js';
import type { KubeRequest } from '../kube-driver.js';

/** A rolling update under steady HTTP load. */
export interface HotUpdateRequest extends Omit<KubeRequest, 'onSample'> {
  replicas: number;
  maxSurge: number;
  maxUnavailable: number;
  /** HTTP readiness probe on the workload's port. */
  readiness: boolean;
  /** Requests per second (open loop) to the Service's ready endpoints. */
  rate: number;
  port: number;
  /** Start delay (ms) of the replacement version: a slow-starting replacement. */
  newStartDelayMs: number;
  /** How long a replaced instance keeps answering after SIGTERM (ms). */
  drainMs: number;
  /** Load before and after the rollout (ms). */
  settleMs: number;
  timeoutMs: number;
}

/** What one rolling update under load saw. */
export interface HotUpdateOutcome {
  /** Why it could not be measured (e.g. the Service never got endpoints); nothing else is set then. */
  notMeasured?: string;
  load?: LoadReport;
  /** Update request sent → rollout complete seen by watch (client monotonic), when it completed. */
  rolloutNs?: number;
  rolloutError?: string;
  /** Events on the load's clock (ms from load start): update sent, rollout complete, endpoint changes. */
  events: Record<string, unknown>[];
  /** How traffic reached the pods. */
  trafficPath: string;
}

const msSince = (t0: bigint, t: bigint): number => Math.round(Number(t - t0) / 1e5) / 10;

/** Rolls one Deployment to a new version under load through the kube cell; one call is one rollout. */
export async function hotUpdate(cell: KubeCell, req: HotUpdateRequest): Promise<HotUpdateOutcome> {
  // Loaded here, before any timed step, not at module load: hdr-histogram-js costs idle RSS on every kube path.
  const { startLoad } = await import('../../src/load/http-load.js');
  const s = await cell.session(req.replicas * 2 + 10);
  const trafficPath = 'Service endpoints: ready pod IPs from the Endpoints object (watched), straight from this host over the CNI bridge; no kube-proxy VIP';
  const events: Record<string, unknown>[] = [];
  const eps = new EndpointsFollower(s.conn.client, s.ns, 'web');
  const base = {
    name: 'web',
    namespace: s.ns,
    runId: cell.runId,
    ...cell.podImage(req.workload),
    replicas: req.replicas,
    runtimeClassName: cell.rc,
    maxSurge: req.maxSurge,
    maxUnavailable: req.maxUnavailable,
    terminationGraceSeconds: Math.ceil(req.drainMs / 1000) + 5,
    ...(req.readiness ? { readinessPort: req.port } : {}),
    ...(s.node ? { nodeName: s.node } : {}),
  };
  const v1 = deploymentManifest({ ...base, args: [String(req.port), '0', String(req.drainMs)] });
  let stopLoad: (() => Promise<unknown>) | null = null;
  let stopWatch: StopWatcher | null = null;
  try {
    const dpath = `/apis/apps/v1/namespaces/${s.ns}/deployments`;
    await s.conn.client.request('POST', dpath, { body: v1 });
    await s.conn.client.request('POST', `/api/v1/namespaces/${s.ns}/services`, { body: serviceManifest('web', s.ns, cell.runId, 80, req.port) });
    await eps.start(req.signal);
    try {
      await waitRollout(s.conn.client, s.ns, 'web', req.timeoutMs, req.signal);
      await eps.waitReady(req.replicas, req.timeoutMs, req.signal);
    } catch (e) {
      if (req.signal.aborted) throw e;
      return { notMeasured: `Service web never got ${req.replicas} ready endpoint(s): ${errorMessage(e)}`, events, trafficPath };
    }
    // Steady load, then the update, then more load once the rollout is complete.
    const load = startLoad({ rate: req.rate, endpoints: () => eps.current(), timeoutMs: 2000, bucketMs: 250 });
    stopLoad = () => load.stop();
    const loadT0 = nowNs();
    const epsBefore = eps.changes.length;
    await sleep(req.settleMs, req.signal);
    if (req.signal.aborted) throw new Error('interrupted');
    const v2 = deploymentManifest({ ...base, args: [String(req.port), String(req.newStartDelayMs), String(req.drainMs)] });
    const oldPods = [...s.tracker.pods.entries()].filter(([, p]) => !p.deleted).map(([n]) => n);
    stopWatch = new StopWatcher(s.tracker, oldPods, req.port).start();
    const sent = nowNs();
    await s.conn.client.request('PUT', `${dpath}/web`, { body: v2 });
    events.push({ tMs: msSince(loadT0, sent), event: 'update sent (template args: start delay ' + req.newStartDelayMs + ' ms)' });
    let rolloutNs: number | undefined;
    let rolloutError: string | undefined;
    try {
      // The watch may see the old Deployment complete before the controller observes the new generation: rolloutComplete checks observedGeneration.
      const done = await waitRollout(s.conn.client, s.ns, 'web', req.timeoutMs, req.signal);
      rolloutNs = Number(done - sent);
      events.push({ tMs: msSince(loadT0, done), event: 'rollout complete (watch)' });
    } catch (e) {
      rolloutError = errorMessage(e);
      events.push({ tMs: msSince(loadT0, nowNs()), event: `rollout failed: ${rolloutError}` });
    }
    // Load goes on until settle-ms after the rollout and until every old pod's server has stopped answering (its SIGKILL,
    // if it comes, under load): at most the grace period + 15 s after the rollout.
    const graceMs = base.terminationGraceSeconds * 1000;
    const until = Date.now() + graceMs + 15_000;
    await sleep(req.settleMs, req.signal);
    while (!stopWatch.done && Date.now() < until && !req.signal.aborted) await sleep(100, req.signal);
    stopWatch.stop();
    const served: number[] = [];
    for (const n of oldPods) {
      const st = stopWatch.stoppedAt.get(n);
      const term = s.tracker.pods.get(n)?.terminatingNs;
      if (st === undefined || term === undefined) continue;
      served.push(Number(st - term));
      events.push({ tMs: msSince(loadT0, st), event: `old pod ${n} stopped answering GET / (${msSince(term, st)} ms after the watch showed it Terminating)` });
    }
    if (served.length === oldPods.length && served.length > 0) {
      const last = [...stopWatch.stoppedAt.values()].reduce((a, b) => (b > a ? b : a), sent);
      events.push({
        tMs: msSince(loadT0, last),
        event: 'old pods all stopped answering',
        oldPodsStoppedNs: Number(last - sent),
        oldPodServedAfterDeleteNs: Math.max(...served),
      });
    } else if (!req.signal.aborted)
      events.push({
        tMs: msSince(loadT0, nowNs()),
        event: `${oldPods.length - served.length} of ${oldPods.length} old pods still answering (or never Terminating) ${graceMs + 15_000} ms after the rollout`,
      });
    req.onNote?.(
      `old pods: terminationGracePeriodSeconds ${base.terminationGraceSeconds} (drain-ms ${req.drainMs} + 5 s); ${req.workload.kind === 'wasm' ? "a Wasm pod under crun+WasmEdge ignores SIGTERM (the module runs in the container's pid 1, which has no handler), so each old pod serves on, out of the endpoints, until SIGKILL at the end of the grace period (old_pod_served_after_delete ≈ the grace period)" : 'the native http fixture drains for drain-ms after SIGTERM (Connection: close) and exits (old_pod_served_after_delete ≈ drain-ms)'}`,
    );
    const report = await load.stop();
    for (const c of eps.changes.slice(Math.max(0, epsBefore - 1)))
      events.push({ tMs: c.atNs >= loadT0 ? msSince(loadT0, c.atNs) : 0, event: 'endpoints', ready: c.ready, notReady: c.notReady });
    events.sort((a, b) => (a['tMs'] as number) - (b['tMs'] as number));
    return { load: report, ...(rolloutNs !== undefined ? { rolloutNs } : {}), ...(rolloutError ? { rolloutError } : {}), events, trafficPath };
  } finally {
    await stopLoad?.();
    stopWatch?.stop();
    eps.stop();
    for (const n of await s.close()) req.onNote?.(n);
  }
}
