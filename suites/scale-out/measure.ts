/**
 * scale-out's measurement: a Deployment scaled at once from `from` to `to` replicas, each new pod timed to Ready (and
 * to serving with the http fixture), node CPU sampled over the burst; in the cell's own namespace (removed at the
 * end, also on error and interrupt) against the real controllers, scheduler and kubelet.
 */
import { CLIENT_MONOTONIC, nowNs } from '../../src/core/clock.js';
import type { MetricSpec, Sample } from '../../src/core/metric.js';
import { deploymentManifest, waitRollout } from '../../src/kube/deploy.js';
import { phaseValue, PHASES } from '../../src/kube/latency.js';
import { nodeIsLocal, sampleNodeCpu } from '../../src/kube/node-cpu.js';
import type { KubeCell } from '../../src/kube/cell.js';
import { httpFixturePort, ServingProber } from '../../src/kube/serving.js';
import { sleep } from '../../src/util/sleep.js';
import type { KubeRequest } from '../kube-driver.js';

/** Scaling a Deployment from `from` to `to` replicas at once. */
export interface ScaleOutRequest extends KubeRequest {
  from: number;
  to: number;
  rounds: number;
  timeoutMs: number;
  cpuIntervalMs: number;
}

/** What scale-out runs found: metrics of the samples, CPU series per round. */
export interface ScaleOutOutcome {
  metrics: MetricSpec[];
  series: Record<string, unknown[]>;
}

const CLUSTER_PHASES = PHASES.filter((p) => ['create_to_schedule', 'schedule_to_start', 'start_to_ready', 'create_to_ready'].includes(p.name));

/** Metrics of scale-out samples: per pod, and per round. */
export const SCALE_OUT_METRICS: MetricSpec[] = [
  {
    name: 'pod_scale_to_scheduled',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: 'per new pod: scale request sent → watch shows the pod bound to a node',
  },
  {
    name: 'pod_scale_to_running',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: 'per new pod: scale request sent → watch shows its containers running',
  },
  {
    name: 'pod_scale_to_ready',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: 'per new pod: scale request sent → watch shows the pod Ready',
  },
  { name: 'first_ready', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'per round: scale request sent → first new pod Ready (watch)' },
  { name: 'all_ready', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'per round: scale request sent → last new pod Ready (watch)' },
  {
    name: 'pod_scale_to_serving',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: 'per new pod (http fixture): scale request sent → first 200 "ok" from GET / to the pod IP, sent by the harness every 10 ms',
  },
  {
    name: 'first_serving',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: 'per round (http fixture): scale request sent → first new pod answering GET / at its pod IP',
  },
  {
    name: 'all_serving',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: 'per round (http fixture): scale request sent → last new pod answering GET / at its pod IP',
  },
];

/** Runs the scale-out rounds through the kube cell. */
export async function scaleOut(cell: KubeCell, req: ScaleOutRequest): Promise<ScaleOutOutcome> {
  const s = await cell.session(req.to + 10);
  const local = nodeIsLocal() && !s.node?.startsWith('eb-sim-');
  if (!local) req.onNote?.("node CPU: not measured (no kubelet on this host, or a simulated node: node CPU needs the node's own /proc)");
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
  else
    req.onNote?.(
      `serving: GET / to each new pod's IP port ${port} every 10 ms from this host (a 200 with body "ok\\n" counts); readiness probe GET / on the same server`,
    );
  let prober: ServingProber | null = null;
  try {
    for (let r = 0; r < req.rounds && !req.signal.aborted; r++) {
      const name = `burst-${r}`;
      const manifest = deploymentManifest({
        name,
        namespace: s.ns,
        runId: cell.runId,
        ...cell.podImage(req.workload),
        args,
        replicas: req.from,
        runtimeClassName: cell.rc,
        ...(http ? { readinessPort: port } : {}),
        ...(s.node ? { nodeName: s.node } : {}),
      });
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
        if (failure) {
          error = failure;
          break;
        }
        if (ps.length >= want && ps.every((n) => s.tracker.pods.get(n)?.timeline.watchReady && (!prober || prober.servingAt.has(n)))) break;
        if (Date.now() > deadline) {
          error = `timeout: ${ps.filter((n) => s.tracker.pods.get(n)?.timeline.watchReady).length} of ${want} new pods Ready${prober ? `, ${ps.filter((n) => prober!.servingAt.has(n)).length} serving` : ''} after ${req.timeoutMs} ms`;
          break;
        }
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
        req.onSample(
          ok
            ? { index: index++, warmup: false, ok, values: v }
            : {
                index: index++,
                warmup: false,
                ok,
                error: s.tracker.pods.get(n)?.failure ?? error ?? (t.watchReady ? 'Ready but never answered GET /' : 'not Ready'),
                values: v,
              },
        );
        const cv: Record<string, number> = {};
        for (const p of CLUSTER_PHASES) {
          const pv = phaseValue(t, p);
          if (pv.status === 'measured') cv[p.name] = pv.ns;
        }
        clusterTimelines.push({ name: n, values: cv });
      }
      readyAt.sort((a, b) => a - b);
      servingNs.sort((a, b) => a - b);
      const roundSample: Sample =
        error || readyAt.length < want || (http && servingNs.length < want)
          ? {
              index: index++,
              warmup: false,
              ok: false,
              error: error ?? `${readyAt.length} of ${want} Ready${http ? `, ${servingNs.length} serving` : ''}`,
              values: {},
            }
          : {
              index: index++,
              warmup: false,
              ok: true,
              values: {
                first_ready: readyAt[0]!,
                all_ready: readyAt[readyAt.length - 1]!,
                ...(http ? { first_serving: servingNs[0]!, all_serving: servingNs[servingNs.length - 1]! } : {}),
              },
            };
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
        cpuClock: cpuOut
          ? `procfs: /proc/stat and /proc/PID/stat utime+stime (10 ms ticks); pods: ${cpuOut.podsSource ?? 'not found'}; tMs from the scale request (client monotonic)`
          : null,
      });
      // Remove the round's Deployment and wait for its pods to go before the next round.
      await s.conn.client.request('DELETE', `${dpath}/${name}`, { body: { propagationPolicy: 'Foreground' }, accept: [404] });
      for (const n of [...before, ...pods].filter((n) => n.startsWith(`${name}-`)))
        await s.tracker.waitFor(n, 'deleted', req.timeoutMs, req.signal).catch(() => undefined);
    }
    // Cluster-clock phases of the new pods: only where the timestamps' resolution supports a figure.
    const measured: Record<string, number> = {};
    for (const p of CLUSTER_PHASES) measured[p.name] = clusterTimelines.filter((t) => t.values[p.name] !== undefined).length;
    req.onNote?.(
      `cluster-clock phases of ${clusterTimelines.length} new pods (measured / resolution-limited by 1 s API timestamps): ${CLUSTER_PHASES.map((p) => `${p.name} ${measured[p.name]}/${clusterTimelines.length - (measured[p.name] ?? 0)}`).join(', ')}`,
    );
    return { metrics: SCALE_OUT_METRICS, series: { rounds, cpu: cpuSeries } };
  } finally {
    prober?.stop();
    cpu?.stop();
    for (const n of await s.close()) req.onNote?.(n);
  }
}
