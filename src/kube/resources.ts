/** The objects a kube run creates — a namespace of its own, labelled pods — and how to remove them all. */
import type { Workload } from '../result/types.js';
import { ApiError, type KubeClient } from './http.js';

/** Label carried by everything a run creates. */
export const RUN_LABEL = 'edgebench.io/run';
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'edgebench' };

/** The run's namespace name. */
export function namespaceFor(runId: string): string {
  return `eb-${runId}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63)
    .replace(/-+$/, '');
}

/**
 * Image reference of a fixture as pre-loaded by scripts/dev-cluster.sh (and `k3s ctr images import` on K3s):
 * localhost/edgebench/NAME:KIND-SHA12, so a changed fixture never runs a stale image.
 */
export function imageRef(w: Workload): string {
  return `localhost/edgebench/${w.name}:${w.kind}-${w.sha256.slice(0, 12)}`;
}

/** What a pod of the run looks like. */
export interface PodOptions {
  name: string;
  namespace: string;
  runId: string;
  image: string;
  args: string[];
  /** RuntimeClass to request; null for the node's default handler. */
  runtimeClassName: string | null;
  pullPolicy: 'Never' | 'IfNotPresent';
  /** Pin to a node (kubernetes.io/hostname). */
  nodeName?: string;
  /** Extra labels (e.g. density step). */
  labels?: Record<string, string>;
  /** Pod annotations (e.g. module.wasm.image/variant for crun's Wasm handler). */
  annotations?: Readonly<Record<string, string>>;
}

/** The scheduling part of every pod spec of a run: tolerate the simulated node, the RuntimeClass, the node pin. */
export function podPlacement(o: { runtimeClassName: string | null; nodeName?: string }): Record<string, unknown> {
  return {
    tolerations: [{ key: 'edgebench.io/simulated', operator: 'Exists', effect: 'NoSchedule' }],
    ...(o.runtimeClassName ? { runtimeClassName: o.runtimeClassName } : {}),
    ...(o.nodeName ? { nodeSelector: { 'kubernetes.io/hostname': o.nodeName } } : {}),
  };
}

/** `{ annotations }` when there are any, else nothing (a metadata spread). */
export function annotationsField(a: Readonly<Record<string, string>> | undefined): { annotations?: Record<string, string> } {
  return a && Object.keys(a).length ? { annotations: { ...a } } : {};
}

/** A pod manifest: no service-account token, no service links, no grace period, so nothing but the start is measured. */
export function podManifest(o: PodOptions): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    restartPolicy: 'Never',
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'workload', image: o.image, imagePullPolicy: o.pullPolicy, ...(o.args.length ? { args: o.args } : {}) }],
    ...podPlacement(o),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels: { [RUN_LABEL]: o.runId, ...MANAGED_BY, ...(o.labels ?? {}) },
      ...annotationsField(o.annotations),
    },
    spec,
  };
}

/** Creates the run's namespace (labelled with the run id). */
export async function createNamespace(client: KubeClient, runId: string, seed = runId): Promise<string> {
  const name = namespaceFor(seed);
  await client.request('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [RUN_LABEL]: runId, ...MANAGED_BY } } },
    accept: [409],
  });
  return name;
}

/** What a cleanup found and removed. */
export interface CleanupReport {
  namespaces: string[];
  nodes: string[];
  /** Aggregated APIServices a run registered (autoscale's external metrics API). */
  apiServices: string[];
  /** Objects still present when cleanup gave up waiting. */
  remaining: string[];
}

interface Named {
  metadata: { name: string; labels?: Record<string, string> };
}

/** Names of namespaces, simulated nodes and APIServices labelled by edgebench (one run, or all runs). */
export async function leftovers(client: KubeClient, runId?: string): Promise<{ namespaces: string[]; nodes: string[]; apiServices: string[] }> {
  const sel = encodeURIComponent(runId ? `${RUN_LABEL}=${runId}` : RUN_LABEL);
  const [ns, nodes, apis] = await Promise.all([
    client.request<{ items: Named[] }>('GET', `/api/v1/namespaces?labelSelector=${sel}`),
    client.request<{ items: Named[] }>('GET', `/api/v1/nodes?labelSelector=${sel}`),
    client.request<{ items?: Named[] }>('GET', `/apis/apiregistration.k8s.io/v1/apiservices?labelSelector=${sel}`, { accept: [404] }),
  ]);
  const names = (l: { items?: Named[] }): string[] => (l.items ?? []).map((i) => i.metadata.name);
  return { namespaces: names(ns.body), nodes: names(nodes.body), apiServices: apis.status === 404 ? [] : names(apis.body) };
}

/** Leftovers as "kind/name" strings. */
export function leftoverNames(l: { namespaces: string[]; nodes: string[]; apiServices: string[] }): string[] {
  return [...l.apiServices.map((n) => `apiservice/${n}`), ...l.namespaces.map((n) => `namespace/${n}`), ...l.nodes.map((n) => `node/${n}`)];
}

/** Metadata-only list (names, labels...; no spec or status) where the API server offers it, else the full list. */
const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, application/json';

/**
 * Names of a namespace's pods ([] when the namespace is gone), listed as metadata only and in pages, so a namespace
 * of thousands of pods costs the harness a few names each, not whole pod objects.
 */
export async function podNames(client: KubeClient, namespace: string, pageSize = 500): Promise<string[]> {
  const names: string[] = [];
  let cont = '';
  do {
    const page = await client.request<{ items?: Named[]; metadata?: { continue?: string } } | null>(
      'GET',
      `/api/v1/namespaces/${namespace}/pods?limit=${pageSize}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`,
      { accept: [404, 410], mediaType: METADATA_ONLY },
    );
    // 410: the continue token expired (pages are read back to back, so only on a stalled server): the names so far;
    // the namespace controller still deletes the rest, and the caller's timeout reports what stays.
    if (page.status !== 200 || !page.body) break;
    for (const p of page.body.items ?? []) names.push(p.metadata.name);
    cont = page.body.metadata?.continue ?? '';
  } while (cont);
  return names;
}

/**
 * Deletes a run's APIServices, namespaces and simulated nodes and waits until they are gone (a cell's own cleanup,
 * given `namespaces`, leaves APIServices to the suite that made them). Pods still terminating after
 * `forceAfterMs` (e.g. on a simulated node whose simulator died) are force-deleted with grace period 0.
 */
export async function cleanupRun(
  client: KubeClient,
  runId: string | undefined,
  opts: { timeoutMs?: number; forceAfterMs?: number; namespaces?: string[]; keepNodes?: boolean } = {},
): Promise<CleanupReport> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const forceAfterMs = opts.forceAfterMs ?? 10_000;
  const all = await leftovers(client, runId);
  const found = {
    namespaces: opts.namespaces ? all.namespaces.filter((n) => opts.namespaces!.includes(n)) : all.namespaces,
    nodes: opts.keepNodes ? [] : all.nodes,
    apiServices: opts.namespaces ? [] : all.apiServices,
  };
  const del = { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' };
  // APIServices first: an aggregated API whose backend is gone blocks namespace deletion cluster-wide.
  for (const a of found.apiServices) await client.request('DELETE', `/apis/apiregistration.k8s.io/v1/apiservices/${a}`, { accept: [404] });
  for (const ns of found.namespaces) {
    await client.request('DELETE', `/api/v1/namespaces/${ns}`, { body: del, accept: [404, 409] });
  }
  const t0 = Date.now();
  let forced = false;
  for (;;) {
    const left = await leftovers(client, runId);
    const ns = left.namespaces.filter((n) => found.namespaces.includes(n));
    if (ns.length === 0) break;
    if (!forced && Date.now() - t0 > forceAfterMs) {
      forced = true;
      for (const n of ns) {
        for (const name of await podNames(client, n)) {
          await client.request('DELETE', `/api/v1/namespaces/${n}/pods/${name}`, { body: { ...del, gracePeriodSeconds: 0 }, accept: [404], ignoreBody: true });
        }
      }
    }
    if (Date.now() - t0 > timeoutMs) return { ...found, remaining: ns.map((n) => `namespace/${n}`) };
    await new Promise((r) => setTimeout(r, 500));
  }
  // Simulated nodes go last: their pods must be gone first.
  for (const n of found.nodes) await client.request('DELETE', `/api/v1/nodes/${n}`, { accept: [404] });
  return { ...found, remaining: [] };
}

/** True when the API says the object does not exist. */
export function isNotFound(e: unknown): boolean {
  return e instanceof ApiError && e.status === 404;
}
