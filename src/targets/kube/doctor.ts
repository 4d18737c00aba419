/** `edgebench doctor --kube`: what the cluster offers a kube run and what blocks a target density. */
import { textTable } from '../../output/format.js';
import { accessFromOptions, connect } from '../../kube/access.js';
import { capacityBlockers, clusterFacts, type ClusterFacts } from '../../kube/preflight.js';

/** The doctor's findings: facts, plus per real node what blocks `target` pods. */
export interface KubeDoctorReport {
  source: string;
  facts: ClusterFacts;
  target: number;
  blockers: Record<string, string[]>;
}

/** Connects (bad access → UserError, exit 2) and gathers the report. */
export async function kubeDoctor(options: Record<string, string>, target: number): Promise<KubeDoctorReport> {
  const { client, source } = await connect(accessFromOptions(options));
  try {
    const facts = await clusterFacts(client);
    const blockers: Record<string, string[]> = {};
    for (const n of facts.nodes) if (!n.simulated) blockers[n.name] = capacityBlockers(n, target);
    return { source, facts, target, blockers };
  } finally {
    client.close();
  }
}

/** Human-readable lines of the report. */
export function formatKubeDoctor(r: KubeDoctorReport): string {
  const f = r.facts;
  const lines = [`cluster ${f.server} (${r.source}): Kubernetes ${f.version}`, ''];
  lines.push(textTable(
    ['node', 'ready', 'kind', 'kubelet', 'runtime', 'allocatable pods', 'pods now', 'pod CIDR', 'pod IPs', 'summary API'],
    f.nodes.map((n) => [n.name, n.ready ? 'yes' : 'no', n.simulated ? 'simulated' : 'real', n.kubeletVersion, n.containerRuntime, String(n.allocatablePods), String(n.podsOnNode), n.podCidr ?? '-', n.podCidrUsable === null ? '-' : String(n.podCidrUsable), n.summaryApi.reachable ? 'reachable' : `no (${n.summaryApi.reason})`]),
  ));
  lines.push('', `RuntimeClasses: ${f.runtimeClasses.length ? f.runtimeClasses.map((c) => `${c.name} (handler ${c.handler})`).join(', ') : 'none'}`);
  for (const wanted of ['wasmedge', 'crun', 'spin', 'wasmtime', 'runc']) {
    if (!f.runtimeClasses.some((c) => c.name === wanted)) lines.push(`  missing: ${wanted} (K3s creates it when containerd-shim-${wanted}-v1 or ${wanted} is on its PATH; here kube/${wanted} is not measured)`);
  }
  lines.push('', `target of ${r.target} pods on one node:`);
  for (const [node, b] of Object.entries(r.blockers)) {
    lines.push(b.length ? `  ${node}: blocked by\n${b.map((x) => `    - ${x}`).join('\n')}` : `  ${node}: nothing blocks it`);
  }
  return lines.join('\n');
}
