/**
 * The kube layer's Deployment-based capabilities: a rolling update under steady load (hot-update) and a burst
 * scale-out with node CPU over time (scale-out). Both run in the cell's own namespace (removed at the end, also
 * on error and interrupt) against the real Deployment/ReplicaSet controllers, scheduler and kubelet.
 * Traffic goes to the Service's ready endpoints (pod IPs, followed by watching the Endpoints object), not through
 * a kube-proxy VIP: the local cluster has no kube-proxy, and K3s users who have one can point k6 at the Service.
 */
import { CLIENT_MONOTONIC, nowNs } from '../../core/clock.js';
import type { MetricSpec, Sample } from '../../core/metric.js';
import { errorMessage } from '../../util/errors.js';
import type { HotUpdateOutcome, HotUpdateRequest, ScaleOutOutcome, ScaleOutRequest } from '../target.js';
import { deploymentManifest, EndpointsFollower, serviceManifest, waitRollout } from '../../kube/deploy.js';
import { phaseValue, PHASES } from '../../kube/latency.js';
import { nodeIsLocal, sampleNodeCpu } from '../../kube/node-cpu.js';
import type { KubeCell } from '../../kube/cell.js';
import { httpFixturePort, ServingProber, StopWatcher } from '../../kube/serving.js';
import { sleep } from '../../util/sleep.js';

const num = (v: string | undefined, d: number): number => (v === undefined || v === '' ? d : Number(v));

const msSince = (t0: bigint, t: bigint): number => Math.round(Number(t - t0) / 1e5) / 10;

export async function hotUpdate(cell: KubeCell, req: HotUpdateRequest): Promise<HotUpdateOutcome> {
  // Loaded here, before any timed step, not at module load: hdr-histogram-js costs idle RSS on every kube path.
  const { startLoad } = await import('../../load/http-load.js');
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
      events.push({ tMs: msSince(loadT0, last), event: 'old pods all stopped answering', oldPodsStoppedNs: Number(last - sent), oldPodServedAfterDeleteNs: Math.max(...served) });
    } else if (!req.signal.aborted) events.push({ tMs: msSince(loadT0, nowNs()), event: `${oldPods.length - served.length} of ${oldPods.length} old pods still answering (or never Terminating) ${graceMs + 15_000} ms after the rollout` });
    req.onNote?.(`old pods: terminationGracePeriodSeconds ${base.terminationGraceSeconds} (drain-ms ${req.drainMs} + 5 s); ${req.workload.kind === 'wasm' ? 'a Wasm pod under crun+WasmEdge ignores SIGTERM (the module runs in the container\'s pid 1, which has no handler), so each old pod serves on, out of the endpoints, until SIGKILL at the end of the grace period (old_pod_served_after_delete ≈ the grace period)' : 'the native http fixture drains for drain-ms after SIGTERM (Connection: close) and exits (old_pod_served_after_delete ≈ drain-ms)'}`);
    const report = await load.stop();
    for (const c of eps.changes.slice(Math.max(0, epsBefore - 1))) events.push({ tMs: c.atNs >= loadT0 ? msSince(loadT0, c.atNs) : 0, event: 'endpoints', ready: c.ready, notReady: c.notReady });
    events.sort((a, b) => (a['tMs'] as number) - (b['tMs'] as number));
    return { load: report, ...(rolloutNs !== undefined ? { rolloutNs } : {}), ...(rolloutError ? { rolloutError } : {}), events, trafficPath };
  } finally {
    await stopLoad?.();
    stopWatch?.stop();
    eps.stop();
    for (const n of await s.close()) req.onNote?.(n);
  }
}

const CLUSTER_PHASES = PHASES.filter((p) => ['create_to_schedule', 'schedule_to_start', 'start_to_ready', 'create_to_ready'].includes(p.name));

/** Metrics of scale-out samples: per pod, and per round. */
export const SCALE_OUT_METRICS: MetricSpec[] = [
  { name: 'pod_scale_to_scheduled', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'per new pod: scale request sent → watch shows the pod bound to a node' },
  { name: 'pod_scale_to_running', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'per new pod: scale request sent → watch shows its containers running' },
  { name: 'pod_scale_to_ready', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'per new pod: scale request sent → watch shows the pod Ready' },
  { name: 'first_ready', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'per round: scale request sent → first new pod Ready (watch)' },
  { name: 'all_ready', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'per round: scale request sent → last new pod Ready (watch)' },
  { name: 'pod_scale_to_serving', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'per new pod (http fixture): scale request sent → first 200 "ok" from GET / to the pod IP, sent by the harness every 10 ms' },
  { name: 'first_serving', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'per round (http fixture): scale request sent → first new pod answering GET / at its pod IP' },
  { name: 'all_serving', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'per round (http fixture): scale request sent → last new pod answering GET / at its pod IP' },
];

export async function scaleOut(cell: KubeCell, req: ScaleOutRequest): Promise<ScaleOutOutcome> {
  const s = await cell.session(req.to + 10);
  const local = nodeIsLocal() && !s.node?.startsWith('eb-sim-');
  if (!local) req.onNote?.('node CPU: not measured (no kubelet on this host, or a simulated node: node CPU needs the node\'s own /proc)');
  const cpuSeries: unknown[] = [];
  const rounds: unknown[] = [];
  const clusterTimelines: { name: string; values: Record<string, number> }[] = [];
  let index = 0;
  const dpath = `/apis/apps/v1/namespaces/${s.ns}/deployments`;
  let cpu: ReturnType<typeof sampleNodeCpu> | null = null;
  // The http fixture serves: its pods get a readiness probe on the server and are timed to serving as well as Ready.
  const http = req.workload.name === 'http';
  const args = http && req.workload.args.length === 0 ? ['8080'] : req.workload.args;
  const port = httpFixturePort(args);
  if (!http) req.onNote?.(`serving: not measured (fixture ${req.workload.name} serves no HTTP; --fixture http times each new pod to its first answer)`);
  else req.onNote?.(`serving: GET / to each new pod's IP port ${port} every 10 ms from this host (a 200 with body "ok\\n" counts); readiness probe GET / on the same server`);
  let prober: ServingProber | null = null;
  try {
    for (let r = 0; r < req.rounds && !req.signal.aborted; r++) {
      const name = `burst-${r}`;
      const manifest = deploymentManifest({ name, namespace: s.ns, runId: cell.runId, ...cell.podImage(req.workload), args, replicas: req.from, runtimeClassName: cell.rc, ...(http ? { readinessPort: port } : {}), ...(s.node ? { nodeName: s.node } : {}) });
      await s.conn.client.request('POST', dpath, { body: manifest });
      await waitRollout(s.conn.client, s.ns, name, req.timeoutMs, req.signal);
      const before = new Set([...s.tracker.pods.entries()].filter(([, p]) => !p.deleted).map(([n]) => n));
      await sleep(1000, req.signal); // a quiet second of CPU before the burst
      cpu = local ? sampleNodeCpu(req.cpuIntervalMs) : null;
      const cpuT0 = nowNs();
      await sleep(1000, req.signal);
      prober = http ? new ServingProber(s.tracker, port, (n) => n.startsWith(`${name}-`) && !before.has(n)).start() : null;
      const sent = nowNs();
      await s.conn.client.request('PATCH', `${dpath}/${name}/scale`, { body: { spec: { replicas: req.to } }, contentType: 'application/merge-patch+json' });
      const want = req.to - req.from;
      const fresh = (): string[] => [...s.tracker.pods.keys()].filter((n) => n.startsWith(`${name}-`) && !before.has(n));
      const deadline = Date.now() + req.timeoutMs;
      let error: string | null = null;
      while (!req.signal.aborted) {
        const ps = fresh();
        const failure = ps.map((n) => s.tracker.pods.get(n)?.failure).find(Boolean);
        if (failure) { error = failure; break; }
        if (ps.length >= want && ps.every((n) => s.tracker.pods.get(n)?.timeline.watchReady && (!prober || prober.servingAt.has(n)))) break;
        if (Date.now() > deadline) { error = `timeout: ${ps.filter((n) => s.tracker.pods.get(n)?.timeline.watchReady).length} of ${want} new pods Ready${prober ? `, ${ps.filter((n) => prober!.servingAt.has(n)).length} serving` : ''} after ${req.timeoutMs} ms`; break; }
        await sleep(20);
      }
      prober?.stop();
      const servingAt = prober?.servingAt ?? new Map<string, bigint>();
      prober = null;
      await sleep(1000, req.signal); // CPU after the burst settles
      const cpuOut = cpu?.stop();
      cpu = null;
      const offset = Number(sent - cpuT0) / 1e6;
      const pods = fresh();
      const readyAt: number[] = [];
      const servingNs: number[] = [];
      for (const n of pods) {
        const t = s.tracker.pods.get(n)!.timeline;
        const v: Record<string, number> = {};
        if (t.watchScheduled) v['pod_scale_to_scheduled'] = Number(t.watchScheduled.ns - sent);
        if (t.watchStarted) v['pod_scale_to_running'] = Number(t.watchStarted.ns - sent);
        if (t.watchReady) {
          v['pod_scale_to_ready'] = Number(t.watchReady.ns - sent);
          readyAt.push(v['pod_scale_to_ready']);
        }
        const sv = servingAt.get(n);
        if (sv !== undefined) {
          v['pod_scale_to_serving'] = Number(sv - sent);
          servingNs.push(v['pod_scale_to_serving']);
        }
        const ok = !!t.watchReady && (!http || sv !== undefined);
        req.onSample(ok ? { index: index++, warmup: false, ok, values: v } : { index: index++, warmup: false, ok, error: s.tracker.pods.get(n)?.failure ?? error ?? (t.watchReady ? 'Ready but never answered GET /' : 'not Ready'), values: v });
        const cv: Record<string, number> = {};
        for (const p of CLUSTER_PHASES) {
          const pv = phaseValue(t, p);
          if (pv.status === 'measured') cv[p.name] = pv.ns;
        }
        clusterTimelines.push({ name: n, values: cv });
      }
      readyAt.sort((a, b) => a - b);
      servingNs.sort((a, b) => a - b);
      const roundSample: Sample = error || readyAt.length < want || (http && servingNs.length < want)
        ? { index: index++, warmup: false, ok: false, error: error ?? `${readyAt.length} of ${want} Ready${http ? `, ${servingNs.length} serving` : ''}`, values: {} }
        : { index: index++, warmup: false, ok: true, values: { first_ready: readyAt[0]!, all_ready: readyAt[readyAt.length - 1]!, ...(http ? { first_serving: servingNs[0]!, all_serving: servingNs[servingNs.length - 1]! } : {}) } };
      req.onSample(roundSample);
      const rows = (cpuOut?.rows ?? []).map((row) => ({ round: r, ...row, tMs: Math.round(row.tMs - offset) }));
      cpuSeries.push(...rows);
      const max = (k: 'host' | 'controlPlane' | 'nodeAgent' | 'pods'): number | null => {
        const v = rows.map((x) => x[k]).filter((x): x is number => x !== null);
        return v.length ? Math.max(...v) : null;
      };
      rounds.push({
        round: r,
        from: req.from,
        to: req.to,
        newPods: pods.length,
        firstReadyMs: readyAt.length ? readyAt[0]! / 1e6 : null,
        allReadyMs: readyAt.length >= want ? readyAt[readyAt.length - 1]! / 1e6 : null,
        firstServingMs: http ? (servingNs.length ? servingNs[0]! / 1e6 : null) : 'not measured',
        allServingMs: http ? (servingNs.length >= want ? servingNs[servingNs.length - 1]! / 1e6 : null) : 'not measured',
        error,
        cpuMaxMillicores: cpuOut ? { host: max('host'), controlPlane: max('controlPlane'), nodeAgent: max('nodeAgent'), pods: max('pods') } : 'not measured',
        cpuIntervalMs: req.cpuIntervalMs,
        cpuResolutionMillicores: cpuOut?.resolutionMillicores ?? null,
        cpuClock: cpuOut ? `procfs: /proc/stat and /proc/PID/stat utime+stime (10 ms ticks); pods: ${cpuOut.podsSource ?? 'not found'}; tMs from the scale request (client monotonic)` : null,
      });
      // Remove the round's Deployment and wait for its pods to go before the next round.
      await s.conn.client.request('DELETE', `${dpath}/${name}`, { body: { propagationPolicy: 'Foreground' }, accept: [404] });
      for (const n of [...before, ...pods].filter((n) => n.startsWith(`${name}-`))) await s.tracker.waitFor(n, 'deleted', req.timeoutMs, req.signal).catch(() => undefined);
    }
    // Cluster-clock phases of the new pods: only where the timestamps' resolution supports a figure.
    const measured: Record<string, number> = {};
    for (const p of CLUSTER_PHASES) measured[p.name] = clusterTimelines.filter((t) => t.values[p.name] !== undefined).length;
    req.onNote?.(`cluster-clock phases of ${clusterTimelines.length} new pods (measured / resolution-limited by 1 s API timestamps): ${CLUSTER_PHASES.map((p) => `${p.name} ${measured[p.name]}/${clusterTimelines.length - (measured[p.name] ?? 0)}`).join(', ')}`);
    return { metrics: SCALE_OUT_METRICS, series: { rounds, cpu: cpuSeries } };
  } finally {
    prober?.stop();
    cpu?.stop();
    for (const n of await s.close()) req.onNote?.(n);
  }
}

