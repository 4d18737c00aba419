import https from 'node:https';
import { describe, expect, it } from 'vitest';
import { deploymentManifest, rolloutComplete } from '../../src/kube/deploy.js';
import { startMetricsServer } from '../../src/kube/metrics-api.js';
import { classify } from '../../src/kube/node-cpu.js';

function getJson(port: number, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    https.get({ host: '127.0.0.1', port, path, rejectUnauthorized: false }, (res) => {
      let t = '';
      res.on('data', (c: Buffer) => (t += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(t) as Record<string, unknown> }));
    }).on('error', reject);
  });
}

describe('rollout and manifests', () => {
  it('a rollout is complete only when the new generation is observed and every replica is updated and available', () => {
    const d = (gen: number, obs: number, upd: number, avail: number, total = 2) => ({ metadata: { generation: gen }, spec: { replicas: 2 }, status: { observedGeneration: obs, updatedReplicas: upd, availableReplicas: avail, replicas: total } });
    expect(rolloutComplete(d(2, 2, 2, 2))).toBe(true);
    expect(rolloutComplete(d(2, 1, 2, 2))).toBe(false); // controller has not seen the update yet
    expect(rolloutComplete(d(2, 2, 1, 2))).toBe(false);
    expect(rolloutComplete(d(2, 2, 2, 1))).toBe(false);
    expect(rolloutComplete(d(2, 2, 2, 2, 3))).toBe(false); // an old pod still terminating is counted in replicas
  });

  it('deployment manifest carries the strategy, readiness probe and run label', () => {
    const m = deploymentManifest({ name: 'web', namespace: 'ns', runId: 'r1', image: 'img', args: ['8080'], replicas: 2, runtimeClassName: 'runc', pullPolicy: 'Never', maxSurge: 1, maxUnavailable: 0, readinessPort: 8080 }) as { spec: { strategy: unknown; template: { metadata: { labels: Record<string, string> }; spec: { runtimeClassName: string; containers: { readinessProbe: { httpGet: { port: number } } }[] } } } };
    expect(m.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(m.spec.template.spec.containers[0]!.readinessProbe.httpGet.port).toBe(8080);
    expect(m.spec.template.metadata.labels).toMatchObject({ 'edgebench.io/run': 'r1', app: 'web' });
    expect(m.spec.template.spec.runtimeClassName).toBe('runc');
  });
});

describe('node CPU classification', () => {
  it('finds the kubelet, its own containerd and the control plane, nothing else', () => {
    const p = (pid: number, comm: string, cmd: string) => ({ pid, comm, cmd });
    const m = classify([
      p(10, 'kubelet', 'kubelet --container-runtime-endpoint unix:///run/eb/kube/containerd.sock'),
      p(11, 'containerd', 'containerd --config /run/eb/kube/containerd.toml'),
      p(12, 'containerd', 'containerd --config /var/lib/other/config.toml'),
      p(16, 'kube-apiserver', 'kube-apiserver'),
      p(17, 'etcd', 'etcd'),
      p(18, 'node', 'node vitest'),
    ]);
    expect(Object.fromEntries(m)).toEqual({ 10: 'nodeAgent', 11: 'nodeAgent', 16: 'controlPlane', 17: 'controlPlane' });
  });
});

describe('external metrics API of the harness', () => {
  it('serves discovery and the metric as milli-quantities, counting reads', async () => {
    let v = 12.5;
    const s = await startMetricsServer('edgebench_requests_per_second', () => v * 1000);
    try {
      const d = await getJson(s.port, '/apis/external.metrics.k8s.io/v1beta1');
      expect(d.body['groupVersion']).toBe('external.metrics.k8s.io/v1beta1');
      const m = await getJson(s.port, '/apis/external.metrics.k8s.io/v1beta1/namespaces/x/edgebench_requests_per_second?labelSelector=');
      expect((m.body['items'] as { value: string }[])[0]!.value).toBe('12500m');
      v = 3;
      const m2 = await getJson(s.port, '/apis/external.metrics.k8s.io/v1beta1/namespaces/x/edgebench_requests_per_second');
      expect((m2.body['items'] as { value: string }[])[0]!.value).toBe('3000m');
      expect((await getJson(s.port, '/apis/external.metrics.k8s.io/v1beta1/namespaces/x/other')).status).toBe(404);
      expect(s.reads.map((r) => r.value)).toEqual([12500, 3000]);
    } finally {
      await s.close();
    }
  });
});
