/**
 * Deployments and Services of a run: manifests, the rollout-complete test (as `kubectl rollout status`),
 * and a watch of a Service's Endpoints giving the ready pod addresses a load generator can follow.
 */
import { nowNs } from '../core/clock.js';
import type { Endpoint } from '../load/http-load.js';
import type { KubeClient } from './http.js';
import { annotationsField, MANAGED_BY, podPlacement, RUN_LABEL } from './resources.js';

/** What a Deployment of the run looks like. */
export interface DeploymentOptions {
  name: string;
  namespace: string;
  runId: string;
  image: string;
  args: string[];
  replicas: number;
  runtimeClassName: string | null;
  pullPolicy: 'Never' | 'IfNotPresent';
  nodeName?: string;
  maxSurge?: number;
  maxUnavailable?: number;
  /** HTTP readiness probe on this port (GET /), checked every second; none when absent. */
  readinessPort?: number;
  terminationGraceSeconds?: number;
  /** CPU request per pod (millicores), needed by a CPU-based HPA; none when absent. */
  cpuRequestMillis?: number;
  /** Pod template annotations (e.g. module.wasm.image/variant for crun's Wasm handler). */
  annotations?: Readonly<Record<string, string>>;
}

/** A Deployment manifest (RollingUpdate strategy, pods labelled app=<name> and with the run id). */
export function deploymentManifest(o: DeploymentOptions): Record<string, unknown> {
  const labels = { [RUN_LABEL]: o.runId, app: o.name };
  const container: Record<string, unknown> = { name: 'workload', image: o.image, imagePullPolicy: o.pullPolicy, args: o.args };
  if (o.readinessPort)
    container['readinessProbe'] = {
      httpGet: { path: '/', port: o.readinessPort },
      periodSeconds: 1,
      timeoutSeconds: 2,
      successThreshold: 1,
      failureThreshold: 3,
    };
  if (o.cpuRequestMillis) container['resources'] = { requests: { cpu: `${o.cpuRequestMillis}m` } };
  const spec: Record<string, unknown> = {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: o.terminationGraceSeconds ?? 0,
    containers: [container],
    ...podPlacement(o),
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: o.name, namespace: o.namespace, labels: { ...labels, ...MANAGED_BY } },
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: { app: o.name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: o.maxSurge ?? 1, maxUnavailable: o.maxUnavailable ?? 0 } },
      template: { metadata: { labels, ...annotationsField(o.annotations) }, spec },
    },
  };
}

/** A ClusterIP Service in front of app=<name>. */
export function serviceManifest(name: string, namespace: string, runId: string, port: number, targetPort: number): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { [RUN_LABEL]: runId, ...MANAGED_BY } },
    spec: { selector: { app: name }, ports: [{ name: 'http', port, targetPort, protocol: 'TCP' }] },
  };
}

/** The parts of a Deployment's status read here. */
export interface DeploymentLike {
  metadata?: { generation?: number; resourceVersion?: string };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
  };
}

/** True when a rollout is complete, by `kubectl rollout status`'s rule. */
export function rolloutComplete(d: DeploymentLike): boolean {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want
  );
}

/** Waits (by watch) until the Deployment's rollout is complete; resolves with the client instant it was seen. */
export async function waitRollout(client: KubeClient, ns: string, name: string, timeoutMs: number, signal?: AbortSignal): Promise<bigint> {
  const path = `/apis/apps/v1/namespaces/${ns}/deployments`;
  if (signal?.aborted) throw new Error('interrupted');
  const first = await client.request<DeploymentLike>('GET', `${path}/${name}`);
  if (rolloutComplete(first.body)) return nowNs();
  const rv = first.body.metadata?.resourceVersion ?? '0';
  return new Promise<bigint>((resolve, reject) => {
    // The abort listener goes when the wait ends, so waits on one run's signal do not pile up listeners.
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('interrupted'));
    };
    const timer = setTimeout(() => {
      w.stop();
      signal?.removeEventListener('abort', onAbort);
      reject(new Error(`deployment ${name}: rollout not complete after ${timeoutMs} ms`));
    }, timeoutMs);
    const w = client.watch<DeploymentLike>(
      `${path}?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`,
      rv,
      (ev, at) => {
        if ((ev.type === 'ADDED' || ev.type === 'MODIFIED') && rolloutComplete(ev.object)) {
          clearTimeout(timer);
          w.stop();
          signal?.removeEventListener('abort', onAbort);
          resolve(at);
        }
      },
      {
        ...(signal ? { signal } : {}),
        onGone: async () => (await client.request<DeploymentLike>('GET', `${path}/${name}`)).body.metadata?.resourceVersion ?? '0',
      },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface EndpointsLike {
  metadata?: { resourceVersion?: string };
  subsets?: { addresses?: { ip: string }[]; notReadyAddresses?: { ip: string }[]; ports?: { name?: string; port: number }[] }[];
}

/** One change of a Service's ready endpoints, on the client clock. */
export interface EndpointsChange {
  atNs: bigint;
  ready: number;
  notReady: number;
}

/** Follows a Service's Endpoints object: `current()` is the ready addresses now. */
export class EndpointsFollower {
  private ready: Endpoint[] = [];
  readonly changes: EndpointsChange[] = [];
  private stopper: (() => void) | null = null;

  constructor(
    private readonly client: KubeClient,
    private readonly ns: string,
    private readonly name: string,
  ) {}

  private apply(e: EndpointsLike | null, at: bigint): void {
    const ready: Endpoint[] = [];
    let notReady = 0;
    for (const s of e?.subsets ?? []) {
      const port = s.ports?.[0]?.port;
      if (!port) continue;
      for (const a of s.addresses ?? []) ready.push({ host: a.ip, port });
      notReady += (s.notReadyAddresses ?? []).length;
    }
    this.ready = ready;
    const last = this.changes[this.changes.length - 1];
    if (!last || last.ready !== ready.length || last.notReady !== notReady) this.changes.push({ atNs: at, ready: ready.length, notReady });
  }

  /** Lists then watches the Endpoints object. */
  async start(signal?: AbortSignal): Promise<void> {
    const path = `/api/v1/namespaces/${this.ns}/endpoints`;
    const list = async (): Promise<string> => {
      const r = await this.client.request<{ metadata: { resourceVersion: string }; items: EndpointsLike[] }>(
        'GET',
        `${path}?fieldSelector=${encodeURIComponent(`metadata.name=${this.name}`)}`,
      );
      this.apply(r.body.items[0] ?? null, nowNs());
      return r.body.metadata.resourceVersion;
    };
    const rv = await list();
    const w = this.client.watch<EndpointsLike>(
      `${path}?fieldSelector=${encodeURIComponent(`metadata.name=${this.name}`)}`,
      rv,
      (ev, at) => {
        if (ev.type === 'DELETED') this.apply(null, at);
        else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.apply(ev.object, at);
      },
      { ...(signal ? { signal } : {}), onGone: list },
    );
    this.stopper = w.stop;
  }

  /** Ready addresses now. */
  current(): readonly Endpoint[] {
    return this.ready;
  }

  /** Resolves when at least `n` addresses are ready, or rejects after the timeout. */
  async waitReady(n: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (this.ready.length < n) {
      if (signal?.aborted) throw new Error('interrupted');
      if (Date.now() > end) throw new Error(`Service ${this.name} has ${this.ready.length} ready endpoint(s), wanted ${n}, after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  stop(): void {
    this.stopper?.();
  }
}
