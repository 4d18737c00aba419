/** What the cluster offers a kube run: version, nodes, pod capacity, pod CIDRs, RuntimeClasses, summary API reach. */
import { errorMessage } from '../util/errors.js';
import type { KubeClient } from './http.js';

/** One node as the doctor reports it. */
export interface NodeFacts {
  name: string;
  ready: boolean;
  simulated: boolean;
  kubeletVersion: string;
  containerRuntime: string;
  allocatablePods: number;
  podsOnNode: number;
  podCidr: string | null;
  /** Addresses in the pod CIDR usable by pods (network, gateway and broadcast excluded), null when none assigned. */
  podCidrUsable: number | null;
  taints: string[];
  /** status.addresses (InternalIP, Hostname, …): tells whether the harness runs on this node. */
  addresses: string[];
  /** Whether GET /api/v1/nodes/NAME/proxy/stats/summary answered, or why not. */
  summaryApi: { reachable: true } | { reachable: false; reason: string };
}

/** Cluster facts for `doctor --kube` and run preflight. */
export interface ClusterFacts {
  server: string;
  version: string;
  nodes: NodeFacts[];
  runtimeClasses: { name: string; handler: string }[];
}

/** Usable pod IPs in an IPv4 CIDR (host-local / bridge CNI: network, gateway, broadcast reserved). */
export function cidrUsable(cidr: string): number | null {
  const m = /^\d+\.\d+\.\d+\.\d+\/(\d+)$/.exec(cidr);
  if (!m) return null;
  const bits = Number(m[1]);
  return Math.max(0, 2 ** (32 - bits) - 3);
}

interface NodeObj {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { podCIDR?: string; taints?: { key: string; value?: string; effect: string }[] };
  status?: { addresses?: { type: string; address: string }[]; allocatable?: Record<string, string>; conditions?: { type: string; status: string }[]; nodeInfo?: { kubeletVersion?: string; containerRuntimeVersion?: string } };
}

/** Probes whether the kubelet summary API answers through the API server's node proxy. */
export async function summaryReachable(client: KubeClient, node: string): Promise<NodeFacts['summaryApi']> {
  try {
    const r = await client.request<{ node?: unknown }>('GET', `/api/v1/nodes/${node}/proxy/stats/summary?only_cpu_and_memory=true`, { timeoutMs: 20_000, retry: false });
    return r.body && typeof r.body === 'object' && 'node' in r.body ? { reachable: true } : { reachable: false, reason: 'answer is not a kubelet summary' };
  } catch (e) {
    return { reachable: false, reason: errorMessage(e).replace(/^GET \S+: /, '').slice(0, 160) };
  }
}

/** Gathers the facts (one request per node for the summary API). */
export async function clusterFacts(client: KubeClient): Promise<ClusterFacts> {
  const [version, nodes, rcs, pods] = await Promise.all([
    client.request<{ gitVersion: string }>('GET', '/version'),
    client.request<{ items: NodeObj[] }>('GET', '/api/v1/nodes'),
    client.request<{ items: { metadata: { name: string }; handler: string }[] }>('GET', '/apis/node.k8s.io/v1/runtimeclasses', { accept: [404] }),
    client.request<{ items: { spec?: { nodeName?: string }; status?: { phase?: string } }[] }>('GET', '/api/v1/pods?fieldSelector=' + encodeURIComponent('status.phase!=Succeeded,status.phase!=Failed')),
  ]);
  const perNode = new Map<string, number>();
  for (const p of pods.body.items) if (p.spec?.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  const out: NodeFacts[] = [];
  for (const n of nodes.body.items) {
    const simulated = n.metadata.labels?.['edgebench.io/simulated'] === 'true' || n.metadata.labels?.['type'] === 'kwok';
    const cidr = n.spec?.podCIDR ?? null;
    out.push({
      name: n.metadata.name,
      ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      simulated,
      kubeletVersion: n.status?.nodeInfo?.kubeletVersion ?? '?',
      containerRuntime: n.status?.nodeInfo?.containerRuntimeVersion ?? '?',
      allocatablePods: Number(n.status?.allocatable?.['pods'] ?? 0),
      podsOnNode: perNode.get(n.metadata.name) ?? 0,
      podCidr: cidr,
      podCidrUsable: cidr ? cidrUsable(cidr) : null,
      taints: (n.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`),
      addresses: (n.status?.addresses ?? []).map((a) => a.address),
      summaryApi: simulated ? { reachable: false, reason: 'simulated node: no kubelet' } : await summaryReachable(client, n.metadata.name),
    });
  }
  return {
    server: client.server.origin,
    version: version.body.gitVersion,
    nodes: out,
    runtimeClasses: rcs.status === 404 ? [] : rcs.body.items.map((r) => ({ name: r.metadata.name, handler: r.handler })),
  };
}

/** What stops `target` more pods from running on a node, each with the K3s setting that lifts it. Empty: nothing. */
export function capacityBlockers(n: NodeFacts, target: number): string[] {
  const blockers: string[] = [];
  const free = n.allocatablePods - n.podsOnNode;
  if (free < target) {
    const need = target + n.podsOnNode;
    blockers.push(`max-pods: node ${n.name} allows ${n.allocatablePods} pods (${n.podsOnNode} present, ${free} free), ${target} wanted — K3s: --kubelet-arg=max-pods=${need}`);
  }
  if (!n.simulated && n.podCidrUsable !== null && n.podCidrUsable < target + n.podsOnNode) {
    const bits = Math.max(8, 32 - Math.ceil(Math.log2(target + n.podsOnNode + 3)));
    blockers.push(`pod CIDR: node ${n.name} has ${n.podCidr} (${n.podCidrUsable} pod IPs), ${target + n.podsOnNode} needed — K3s: --kube-controller-manager-arg=node-cidr-mask-size=${bits} and a --cluster-cidr wider than /${bits}, set before the node joins (k3s issue #10442)`);
  }
  if (!n.simulated && n.podCidr === null) blockers.push(`pod CIDR: node ${n.name} has none assigned (CNI range decides; check its IPAM range holds ${target} addresses)`);
  if (!n.ready) blockers.push(`node ${n.name} is not Ready`);
  return blockers;
}
