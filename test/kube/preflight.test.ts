import { describe, expect, it } from 'vitest';
import { capacityBlockers, cidrUsable, type NodeFacts } from '../../src/kube/preflight.js';
import { imageRef, namespaceFor, podManifest } from '../../src/kube/resources.js';

const node = (o: Partial<NodeFacts> = {}): NodeFacts => ({
  name: 'n1', ready: true, simulated: false, kubeletVersion: 'v1.20.2', containerRuntime: 'containerd://1.6', allocatablePods: 110, podsOnNode: 2, addresses: [],
  podCidr: '10.42.0.0/24', podCidrUsable: 253, taints: [], summaryApi: { reachable: true }, ...o,
});

describe('kube preflight', () => {
  it('counts usable pod IPs of a CIDR', () => {
    expect(cidrUsable('10.42.0.0/24')).toBe(253);
    expect(cidrUsable('10.42.0.0/20')).toBe(4093);
    expect(cidrUsable('fd00::/64')).toBeNull();
  });

  it('names max-pods and pod CIDR as blockers of 3000 pods, with the K3s settings that lift them', () => {
    const b = capacityBlockers(node(), 3000);
    expect(b).toHaveLength(2);
    expect(b[0]).toMatch(/max-pods: node n1 allows 110 pods \(2 present, 108 free\), 3000 wanted — K3s: --kubelet-arg=max-pods=3002/);
    expect(b[1]).toMatch(/pod CIDR: node n1 has 10.42.0.0\/24 \(253 pod IPs\), 3002 needed — K3s: --kube-controller-manager-arg=node-cidr-mask-size=20/);
  });

  it('finds nothing blocking a target that fits', () => {
    expect(capacityBlockers(node({ allocatablePods: 3100, podCidr: '10.42.0.0/20', podCidrUsable: 4093 }), 3000)).toEqual([]);
    expect(capacityBlockers(node({ simulated: true, allocatablePods: 5000, podCidr: null, podCidrUsable: null }), 3000)).toEqual([]);
  });

  it('builds pods that only the start is measured on, labelled with the run', () => {
    const w = { name: 'serve', kind: 'wasm' as const, path: '/x', sha256: 'ab'.repeat(32), sizeBytes: 1, args: [] };
    expect(imageRef(w)).toBe('localhost/edgebench/serve:wasm-abababababab');
    expect(namespaceFor('20261128t221500z-a1b2c3-wasmedge')).toBe('eb-20261128t221500z-a1b2c3-wasmedge');
    const p = podManifest({ name: 'p', namespace: 'ns', runId: 'r1', image: 'img', args: [], runtimeClassName: 'wasmedge', pullPolicy: 'Never' }) as { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> & { containers: { imagePullPolicy: string }[] } };
    expect(p.metadata.labels['edgebench.io/run']).toBe('r1');
    expect(p.spec['runtimeClassName']).toBe('wasmedge');
    expect(p.spec['automountServiceAccountToken']).toBe(false);
    expect(p.spec.containers[0]!.imagePullPolicy).toBe('Never');
    expect(p.metadata).not.toHaveProperty('annotations');
    const wasm = podManifest({ name: 'p', namespace: 'ns', runId: 'r1', image: 'img', args: [], runtimeClassName: 'wasmedge', pullPolicy: 'Never', annotations: { 'module.wasm.image/variant': 'compat-smart' } }) as { metadata: { annotations?: Record<string, string> } };
    expect(wasm.metadata.annotations).toEqual({ 'module.wasm.image/variant': 'compat-smart' });
  });
});
