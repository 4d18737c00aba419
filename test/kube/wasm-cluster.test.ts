/**
 * Wasm pods on the dev cluster's real kubelet through RuntimeClass wasmedge (scripts/dev-cluster.sh up gives its
 * containerd handler wasmedge from the crun+WasmEdge build, or runwasi's shim, and creates the RuntimeClass): a hello
 * pod reaches Succeeded and logs the greeting, kube/wasmedge measures noop cold starts, and nothing is left behind.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { resolveWorkload } from '../../src/fixtures/workload.js';
import { newRunId } from '../../src/util/run-id.js';
import { WASM_POD_ANNOTATIONS } from '../../src/targets/kube/pod-target.js';
import { cleanupRun, createNamespace, imageRef, podManifest } from '../../src/kube/resources.js';
import { readOrNull } from '../../src/host/procfs.js';
import { describeWith } from '../helpers/system.js';
import { allLeftovers, cli, DEV_KUBECONFIG, devClient, devCluster, runIds, results } from './cluster-helpers.js';

const out = mkdtempSync(join(tmpdir(), 'eb-kube-wasm-'));
const K = ['--kubeconfig', DEV_KUBECONFIG];
const CONTAINERD_CONFIG = '/run/edgebench/kube/containerd.toml';

/** null when the dev cluster is up and its containerd has handler wasmedge, else why not. */
function wasmCluster(): string | null {
  const c = devCluster();
  if (c) return c;
  const cfg = readOrNull(CONTAINERD_CONFIG) ?? '';
  return /containerd\.runtimes\.wasmedge\]/.test(cfg)
    ? null
    : `the dev cluster's containerd has no handler wasmedge (${CONTAINERD_CONFIG}): bash scripts/build-runtimes.sh build crun-1.8.1-wasmedge, then bash scripts/dev-cluster.sh up`;
}

interface PodObj {
  status?: { phase?: string; containerStatuses?: { state?: { terminated?: { exitCode?: number; reason?: string } } }[] };
}

describeWith('Wasm pods on the dev cluster (RuntimeClass wasmedge)', wasmCluster, () => {
  const ids: string[] = [];
  afterAll(async () => {
    for (const id of ids) expect(await allLeftovers(id)).toEqual([]);
  });

  it('a hello Wasm pod through the API reaches Succeeded and its log is the greeting', async () => {
    const runId = newRunId();
    ids.push(runId);
    const c = devClient();
    try {
      const rc = await c.request<{ handler: string }>('GET', '/apis/node.k8s.io/v1/runtimeclasses/wasmedge');
      expect(rc.body.handler).toBe('wasmedge');
      const ns = await createNamespace(c, runId, `${runId}-wasm`);
      const w = resolveWorkload('hello', 'wasm');
      const pod = podManifest({ name: 'hello', namespace: ns, runId, image: imageRef(w), args: [], runtimeClassName: 'wasmedge', pullPolicy: 'Never', annotations: WASM_POD_ANNOTATIONS });
      await c.request('POST', `/api/v1/namespaces/${ns}/pods`, { body: pod });
      let p: PodObj = {};
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        p = (await c.request<PodObj>('GET', `/api/v1/namespaces/${ns}/pods/hello`)).body;
        if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(p.status?.phase).toBe('Succeeded');
      expect(p.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
      // A native exec of the .wasm entrypoint would fail: the greeting is the module's own output under WasmEdge.
      const log = await c.request<string>('GET', `/api/v1/namespaces/${ns}/pods/hello/log`);
      expect(log.body).toBe('hello from edgebench\n');
      const rep = await cleanupRun(c, runId, { namespaces: [ns], keepNodes: true });
      expect(rep.remaining).toEqual([]);
    } finally {
      c.close();
    }
    expect(await allLeftovers(runId)).toEqual([]);
  }, 180_000);

  it('kube/wasmedge cold-starts noop Wasm pods on the real kubelet and records the handler behind the RuntimeClass', async () => {
    const r = await cli(['run', 'cold-start', '--layer', 'kube', '--runtime', 'wasmedge', '--fixture', 'noop', '--samples', '3', '--warmup', '1', '--out', out, ...K]);
    ids.push(...runIds(r.stdout));
    expect(r.code, r.stderr).toBe(0);
    const [res] = results(r.stderr);
    expect(res?.status, res?.reason).toBe('ok');
    expect(res!.workload?.kind).toBe('wasm');
    expect(res!.counts).toMatchObject({ measured: 3, failed: 0 });
    const wall = res!.metrics.find((m) => m.name === 'wall')!;
    expect(wall.clock.source).toBe('client-monotonic');
    expect(wall.summary.p50).toBeGreaterThan(20e6); // a pod start on a real kubelet: more than 20 ms, less than a minute
    expect(wall.summary.max).toBeLessThan(60e9);
    const notes = res!.notes?.join('\n') ?? '';
    expect(notes).toMatch(/^RuntimeClass wasmedge → handler wasmedge$/m);
    expect(notes).toMatch(/^handler "wasmedge": runtimeType io\.containerd\.(runc\.v2; BinaryName \S+crun-wasmedge; build crun-1\.8\.1-wasmedge|wasmedge\.v1)/m);
    expect(notes).toMatch(/^Wasm pods carry the pod annotation module\.wasm\.image\/variant=compat-smart$/m);
  }, 300_000);
});
