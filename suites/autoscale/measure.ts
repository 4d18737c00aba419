/**
 * autoscale at the kube layer: a Deployment (http fixture, readiness probe) behind a Service, an HPA
 * (autoscaling/v2beta2 before Kubernetes 1.23, v2 from 1.23) on an External metric that the harness itself serves
 * (metrics-api.ts) — the request rate the test's load generator achieves — so the cluster's real HPA controller
 * decides. Per added replica: scaling decision (watch sees the Deployment's replicas raised) → pod Ready (watch).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { CLIENT_MONOTONIC, nowNs } from '../../src/core/clock.js';
import type { MetricSpec } from '../../src/core/metric.js';
import { errorMessage } from '../../src/util/errors.js';
import { deploymentManifest, EndpointsFollower, serviceManifest, waitRollout, type DeploymentLike } from '../../src/kube/deploy.js';
import { APISERVICE_NAME, registration, startMetricsServer, type MetricsServer } from '../../src/kube/metrics-api.js';
import type { KubeCell } from '../../src/kube/cell.js';
import { MANAGED_BY, RUN_LABEL } from '../../src/kube/resources.js';
import { ServingProber } from '../../src/kube/serving.js';
import { sleep } from '../../src/util/sleep.js';
import type { KubeRequest } from '../kube-driver.js';

/** Load-driven autoscaling by the cluster's own autoscaler. */
export interface AutoscaleRequest extends KubeRequest {
  /** Requests per second generated (open loop). */
  rate: number;
  /** Target requests per second per replica (the autoscaler's average-value target). */
  perReplica: number;
  maxReplicas: number;
  port: number;
  /** Serve the load as a metric to the autoscaler; false leaves the autoscaler without a metrics API (bad input check). */
  metricsApi: boolean;
  timeoutMs: number;
}

/** What an autoscale run found. */
export interface AutoscaleOutcome {
  notMeasured?: string;
  metrics: MetricSpec[];
  series: Record<string, unknown[]>;
}

const METRIC = 'edgebench_requests_per_second';

export const AUTOSCALE_METRICS: MetricSpec[] = [
  {
    name: 'decision_to_ready',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: "per added replica: watch sees the HPA raise the Deployment's replicas → watch sees the new pod Ready",
  },
  {
    name: 'decision_to_serving',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: 'per added replica: scaling decision seen → first 200 "ok" from GET / to the new pod\'s IP (the harness probes every 10 ms)',
  },
  {
    name: 'decision_to_scheduled',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: 'per added replica: scaling decision seen → pod bound to a node (watch)',
  },
  {
    name: 'load_to_decision',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: "per scaling decision: load started → watch sees the Deployment's replicas raised (includes the HPA sync period)",
  },
];

/** The HPA sync period as the local kube-controller-manager was started with, or its default. */
export function hpaSyncPeriod(): string {
  try {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      let cmd: string;
      try {
        cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      } catch {
        continue;
      }
      if (!/kube-controller-manager|k3s server/.test(cmd)) continue;
      const m = cmd.match(/--horizontal-pod-autoscaler-sync-period[= ](\S+)/);
      return m ? `${m[1]} (kube-controller-manager flag)` : '15s (kube-controller-manager default; flag not set)';
    }
  } catch {
    /* no /proc */
  }
  return 'unknown: no local kube-controller-manager (Kubernetes default 15s)';
}

interface HpaLike {
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    lastScaleTime?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** Runs one autoscale measurement through the kube cell. */
export async function autoscale(cell: KubeCell, req: AutoscaleRequest): Promise<AutoscaleOutcome> {
  // Loaded here, before any timed step, not at module load: hdr-histogram-js costs idle RSS on every kube path.
  const { startLoad } = await import('../../src/load/http-load.js');
  const s = await cell.session(req.maxReplicas + 10);
  const c = s.conn.client;
  const labels = { [RUN_LABEL]: cell.runId, ...MANAGED_BY };
  const eps = new EndpointsFollower(c, s.ns, 'web');
  let server: MetricsServer | null = null;
  let apiServiceOurs = false;
  let stopWatch: (() => void) | null = null;
  const prober = new ServingProber(s.tracker, req.port, () => true);
  const series: Record<string, unknown[]> = { hpa: [] };
  const decisions: { atNs: bigint; tMs: number; from: number; to: number }[] = [];
  const notMeasured = (why: string): AutoscaleOutcome => ({ notMeasured: why, metrics: AUTOSCALE_METRICS, series });
  const minor = Number(/^v?1\.(\d+)/.exec(s.conn.version)?.[1] ?? '0');
  const hpaVersion = minor >= 23 ? 'v2' : 'v2beta2';
  try {
    const existing = await c.request<{ metadata?: { labels?: Record<string, string> }; spec?: { service?: { namespace: string; name: string } } }>(
      'GET',
      `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE_NAME}`,
      { accept: [404] },
    );
    if (existing.status !== 404 && req.metricsApi)
      return notMeasured(
        `the external metrics API is already served in this cluster (APIService ${APISERVICE_NAME} → ${existing.body.spec?.service ? `${existing.body.spec.service.namespace}/${existing.body.spec.service.name}` : 'local'}); edgebench does not replace it`,
      );
    const dpath = `/apis/apps/v1/namespaces/${s.ns}/deployments`;
    await c.request('POST', dpath, {
      body: deploymentManifest({
        name: 'web',
        namespace: s.ns,
        runId: cell.runId,
        ...cell.podImage(req.workload),
        args: [String(req.port)],
        replicas: 1,
        runtimeClassName: cell.rc,
        readinessPort: req.port,
        ...(s.node ? { nodeName: s.node } : {}),
      }),
    });
    await c.request('POST', `/api/v1/namespaces/${s.ns}/services`, { body: serviceManifest('web', s.ns, cell.runId, 80, req.port) });
    await eps.start(req.signal);
    try {
      await waitRollout(c, s.ns, 'web', req.timeoutMs, req.signal);
      await eps.waitReady(1, req.timeoutMs, req.signal);
    } catch (e) {
      if (req.signal.aborted) throw e;
      return notMeasured(`Service web never got a ready endpoint: ${errorMessage(e)}`);
    }

    // The load, and the metric: requests answered per second over the last second, in milli-units.
    const load = startLoad({ rate: req.rate, endpoints: () => eps.current(), timeoutMs: 2000 });
    const loadT0 = nowNs();
    const window: { at: number; ok: number }[] = [];
    const meter = setInterval(() => {
      window.push({ at: Date.now(), ok: load.ok });
      while (window.length > 1 && window[0]!.at < Date.now() - 1000) window.shift();
    }, 100);
    const rate = (): number => {
      if (window.length < 2) return 0;
      const a = window[0]!;
      const b = window[window.length - 1]!;
      return b.at > a.at ? ((b.ok - a.ok) / (b.at - a.at)) * 1e6 : 0;
    };
    try {
      if (req.metricsApi) {
        server = await startMetricsServer(METRIC, rate);
        const reg = registration(s.ns, server.port, labels);
        await c.request('POST', `/api/v1/namespaces/${s.ns}/services`, { body: reg.service });
        await c.request('POST', '/apis/apiregistration.k8s.io/v1/apiservices', { body: reg.apiService });
        apiServiceOurs = true;
        const until = Date.now() + 30_000;
        for (;;) {
          const a = await c.request<{ status?: { conditions?: { type: string; status: string; message?: string }[] } }>(
            'GET',
            `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE_NAME}`,
          );
          const av = a.body.status?.conditions?.find((x) => x.type === 'Available');
          if (av?.status === 'True') break;
          if (Date.now() > until) return notMeasured(`metrics APIService never became Available: ${av?.message ?? 'no condition'}`);
          await sleep(250, req.signal);
        }
      }
      // Decisions: the Deployment's spec.replicas raised, seen by watch.
      let replicas = 1;
      const first = await c.request<DeploymentLike & { metadata: { resourceVersion: string } }>('GET', `${dpath}/web`);
      const w = c.watch<DeploymentLike>(
        `${dpath}?fieldSelector=${encodeURIComponent('metadata.name=web')}`,
        first.body.metadata.resourceVersion,
        (ev, at) => {
          const r = ev.object.spec?.replicas ?? replicas;
          if (r !== replicas) {
            decisions.push({ atNs: at, tMs: Number(at - loadT0) / 1e6, from: replicas, to: r });
            replicas = r;
          }
        },
        { signal: req.signal },
      );
      stopWatch = w.stop;
      const hpa = {
        apiVersion: `autoscaling/${hpaVersion}`,
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web', namespace: s.ns, labels },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          minReplicas: 1,
          maxReplicas: req.maxReplicas,
          metrics: [{ type: 'External', external: { metric: { name: METRIC }, target: { type: 'AverageValue', averageValue: String(req.perReplica) } } }],
        },
      };
      const hpaPath = `/apis/autoscaling/${hpaVersion}/namespaces/${s.ns}/horizontalpodautoscalers`;
      prober.start();
      await c.request('POST', hpaPath, { body: hpa });
      const want = Math.min(req.maxReplicas, Math.ceil(req.rate / req.perReplica));
      const deadline = Date.now() + req.timeoutMs;
      let stuck: string | null = null;
      let missing = 0;
      for (;;) {
        if (req.signal.aborted) break;
        const got = await c.request<HpaLike>('GET', `${hpaPath}/web`, { accept: [404] });
        if (got.status === 404) {
          // Seen once under load right after the create: retry a few times before calling it gone.
          if (++missing > 5) throw new Error(`HPA ${s.ns}/web disappeared (deleted by someone else?)`);
          await sleep(500, req.signal);
          continue;
        }
        const h = got.body;
        const active = h.status?.conditions?.find((x) => x.type === 'ScalingActive');
        (series['hpa'] as unknown[]).push({
          tMs: Number(nowNs() - loadT0) / 1e6,
          current: h.status?.currentReplicas ?? null,
          desired: h.status?.desiredReplicas ?? null,
          lastScaleTime: h.status?.lastScaleTime ?? null,
          scalingActive: active ? `${active.status} ${active.reason ?? ''}` : null,
        });
        if (active?.status === 'False' && !req.metricsApi) {
          stuck = `${active.reason}: ${active.message ?? ''}`;
          break;
        }
        const ready = [...s.tracker.pods.values()].filter((p) => !p.deleted && p.timeline.watchReady).length;
        const serving = [...s.tracker.pods.keys()].filter((n) => !s.tracker.pods.get(n)!.deleted && prober.servingAt.has(n)).length;
        if (replicas >= want && ready >= want && serving >= want) break;
        if (Date.now() > deadline) {
          stuck = `${ready} of ${want} replicas Ready after ${req.timeoutMs} ms (HPA desired ${h.status?.desiredReplicas ?? '?'}; ScalingActive ${active?.status ?? '?'} ${active?.reason ?? ''} ${active?.message ?? ''})`;
          break;
        }
        await sleep(500, req.signal);
      }
      if (stuck && !req.metricsApi) return notMeasured(`HPA without a metrics API cannot scale: ${stuck}`);
      if (stuck && decisions.length === 0) return notMeasured(`the HPA never scaled: ${stuck}`);
      const report = await load.stop();
      // Per added replica: the latest decision seen before the pod was bound.
      let index = 0;
      for (const d of decisions) req.onSample({ index: index++, warmup: false, ok: true, values: { load_to_decision: Number(d.atNs - loadT0) } });
      for (const [name, p] of s.tracker.pods) {
        const sched = p.timeline.watchScheduled?.ns;
        const d = sched ? [...decisions].reverse().find((x) => x.atNs <= sched) : undefined;
        if (!d) continue; // the initial replica
        const sv = prober.servingAt.get(name);
        if (p.timeline.watchReady)
          req.onSample({
            index: index++,
            warmup: false,
            ok: true,
            values: {
              decision_to_ready: Number(p.timeline.watchReady.ns - d.atNs),
              decision_to_scheduled: Number(sched! - d.atNs),
              ...(sv !== undefined ? { decision_to_serving: Number(sv - d.atNs) } : {}),
            },
          });
        else req.onSample({ index: index++, warmup: false, ok: false, error: p.failure ?? `pod ${name} not Ready`, values: {} });
      }
      if (stuck) req.onNote?.(`scaling incomplete: ${stuck}`);
      series['decisions'] = decisions.map((d) => ({ tMs: d.tMs, from: d.from, to: d.to }));
      series['load'] = [
        { sent: report.sent, ok: report.ok, failed: report.failed, failures: report.failures, quantilesNs: report.quantilesNs, timeline: report.timeline },
      ];
      series['metricReads'] = server?.reads ?? [];
      const ev = await c.request<{ items: { reason?: string; message?: string; involvedObject?: { kind?: string } }[] }>(
        'GET',
        `/api/v1/namespaces/${s.ns}/events`,
      );
      for (const e of ev.body.items.filter((x) => x.involvedObject?.kind === 'HorizontalPodAutoscaler'))
        req.onNote?.(`HPA event ${e.reason}: ${e.message ?? ''}`);
      req.onNote?.(
        `HPA autoscaling/${hpaVersion}, External metric ${METRIC} target averageValue ${req.perReplica}/replica; load ${req.rate}/s → wanted ${want} replicas`,
      );
      req.onNote?.(
        `HPA sync period: ${hpaSyncPeriod()}; metric resolution: request rate over a sliding 1 s window sampled every 100 ms, computed when the HPA reads it (${server?.reads.length ?? 0} reads); HPA tolerance 10 % (default)`,
      );
      return { metrics: AUTOSCALE_METRICS, series };
    } finally {
      clearInterval(meter);
      await load.stop();
    }
  } finally {
    stopWatch?.();
    prober.stop();
    eps.stop();
    // The APIService goes before the namespace: an unavailable aggregated API blocks namespace deletion cluster-wide.
    if (apiServiceOurs)
      await c
        .request('DELETE', `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE_NAME}`, { accept: [404] })
        .catch((e: unknown) => req.onNote?.(`APIService cleanup failed: ${errorMessage(e)}`));
    await server?.close();
    for (const n of await s.close()) req.onNote?.(n);
  }
}
