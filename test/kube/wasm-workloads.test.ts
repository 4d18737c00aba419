/**
 * The kube dynamics suites with Wasm pods on the dev cluster's real kubelet (RuntimeClass wasmedge: crun+WasmEdge):
 * the http fixture's Wasm build answers GET / at its pod IP, and keeps answering after its pod is deleted (SIGTERM is
 * ignored by the module in the container's pid 1) until the grace period's SIGKILL; a short maxSurge=1/maxUnavailable=0
 * rollout of Wasm pods under load loses no request; scale-out times Wasm pods to serving; nothing is left behind,
 * also after SIGINT during a Wasm rollout.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { resolveWorkload } from '../../src/fixtures/workload.js';
import type { Result } from '../../src/result/types.js';
import { newRunId } from '../../src/util/run-id.js';
import { WASM_POD_ANNOTATIONS } from '../../src/targets/kube/pod-target.js';
import { cleanupRun, createNamespace, imageRef, podManifest } from '../../src/kube/resources.js';
import { readOrNull } from '../../src/host/procfs.js';
import { describeWith } from '../helpers/system.js';
import { allLeftovers, cli, CLI, DEV_KUBECONFIG, devClient, devCluster, results, runIds } from './cluster-helpers.js';

const out = mkdtempSync(join(tmpdir(), 'eb-kube-wasm-wl-'));
const K = ['--kubeconfig', DEV_KUBECONFIG];
const CONTAINERD_CONFIG = '/run/edgebench/kube/containerd.toml';

function wasmCluster(): string | null {
  const c = devCluster();
  if (c) return c;
  return /containerd\.runtimes\.wasmedge\]/.test(readOrNull(CONTAINERD_CONFIG) ?? '')
    ? null
    : `the dev cluster's containerd has no handler wasmedge (${CONTAINERD_CONFIG}): bash scripts/build-runtimes.sh build crun-1.8.1-wasmedge, then bash scripts/dev-cluster.sh up`;
}

/** One request to ip:port: status, Connection header and body, or the error code. */
function get(ip: string, port: number, method = 'GET'): Promise<{ status: number; body: string; connection?: string } | { error: string }> {
  return new Promise((resolve) => {
    // Keep-alive asked for explicitly (Node sends Connection: close without an agent), the socket dropped after the answer.
    const req = request({ host: ip, port, path: '/', method, agent: false, timeout: 1000, headers: { connection: 'keep-alive' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, ...(res.headers.connection ? { connection: res.headers.connection } : {}) });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface PodObj {
  metadata?: { deletionTimestamp?: string };
  status?: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] };
}

describeWith('Wasm http pods on the dev cluster (RuntimeClass wasmedge)', wasmCluster, () => {
  const ids: string[] = [];
  afterAll(async () => {
    for (const id of ids) expect(await allLeftovers(id)).toEqual([]);
  });

  it('a Wasm http pod answers GET / at its pod IP with the fixture\'s body, and serves on after deletion until SIGKILL', async () => {
    const runId = newRunId();
    ids.push(runId);
    const c = devClient();
    let ns: string | null = null;
    try {
      ns = await createNamespace(c, runId, `${runId}-wasm-http`);
      const w = resolveWorkload('http', 'wasm');
      expect(w.kind).toBe('wasm');
      const pod = podManifest({ name: 'web', namespace: ns, runId, image: imageRef(w), args: ['8080'], runtimeClassName: 'wasmedge', pullPolicy: 'Never', annotations: WASM_POD_ANNOTATIONS });
      (pod['spec'] as Record<string, unknown>)['terminationGracePeriodSeconds'] = 6;
      await c.request('POST', `/api/v1/namespaces/${ns}/pods`, { body: pod });
      let p: PodObj = {};
      let answer: Awaited<ReturnType<typeof get>> = { error: 'not tried' };
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        p = (await c.request<PodObj>('GET', `/api/v1/namespaces/${ns}/pods/web`)).body;
        if (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') break;
        if (p.status?.podIP && p.status.phase === 'Running') {
          answer = await get(p.status.podIP, 8080);
          if ('status' in answer) break;
        }
        await sleep(200);
      }
      const ip = p.status!.podIP!;
      expect(p.status?.phase).toBe('Running');
      expect(ip).toMatch(/^10\.244\./);
      // The exact bytes of the fixture's answer, from the module under WasmEdge in the pod (keep-alive by default).
      expect(answer).toEqual({ status: 200, body: 'ok\n', connection: 'keep-alive' });
      expect(await get(ip, 8080, 'POST')).toEqual({ status: 405, body: '', connection: 'close' });

      // Deleted: the kubelet sends SIGTERM, which the module (pid 1 of the container, no handler) never sees; it keeps
      // answering without Connection: close (no drain) until SIGKILL at the end of the 6 s grace period.
      const deleted = Date.now();
      await c.request('DELETE', `/api/v1/namespaces/${ns}/pods/web`);
      let terminating = false;
      for (let i = 0; i < 20 && !terminating; i++) {
        terminating = !!(await c.request<PodObj>('GET', `/api/v1/namespaces/${ns}/pods/web`)).body.metadata?.deletionTimestamp;
        if (!terminating) await sleep(100);
      }
      expect(terminating).toBe(true);
      await sleep(Math.max(0, deleted + 3000 - Date.now())); // the kubelet's SIGTERM went out well before this
      expect(await get(ip, 8080)).toEqual({ status: 200, body: 'ok\n', connection: 'keep-alive' });
      // After the grace period the server is gone (refused, or unreachable once the sandbox's network is torn down).
      let after: Awaited<ReturnType<typeof get>> = { status: 0, body: '' };
      for (let i = 0; i < 60 && 'status' in after; i++) {
        await sleep(500);
        after = await get(ip, 8080);
      }
      expect('error' in after).toBe(true);
      expect(Date.now() - deleted).toBeGreaterThan(6000);
    } finally {
      if (ns) expect((await cleanupRun(c, runId, { namespaces: [ns], keepNodes: true })).remaining).toEqual([]);
      c.close();
    }
  }, 180_000);

  it('hot-update of Wasm pods (maxSurge=1, maxUnavailable=0, readiness on the Wasm server) under load: 0 requests failed', async () => {
    const r = await cli(['run', 'hot-update', '--layer', 'kube', '--runtime', 'wasmedge', '--out', out, ...K, '--set', 'replicas=2', '--set', 'rate=50', '--set', 'settle-ms=1000', '--set', 'new-start-delay-ms=1000', '--set', 'drain-ms=0', '--set', 'timeout-ms=60000']);
    ids.push(...runIds(r.stdout));
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const res: Result = results(r.stderr)[0]!;
    expect(res.status, res.reason).toBe('ok');
    expect(res.workload).toMatchObject({ name: 'http', kind: 'wasm' });
    // Observed here every time: 0 failed. The readiness probe keeps a new pod out of the endpoints until its module
    // listens, and an old Wasm pod leaves the endpoints when it is deleted but, ignoring SIGTERM, answers until SIGKILL
    // at the end of its grace period (5 s here), by when the load no longer goes to it.
    expect(res.verdicts[0]).toMatchObject({ verdict: 'holds', requestsFailed: 0, rolloutsCompleted: 1 });
    const row = res.series!['rollouts']![0] as { sent: number; failed: number; rolloutNs: number; events: { event: string }[] };
    expect(row.failed).toBe(0);
    expect(row.sent).toBeGreaterThan(100);
    const m = (n: string) => res.metrics.find((x) => x.name === n)!;
    // Two replacements one at a time, each listening 1 s after start: not faster than 2 s.
    expect(m('rollout').summary.max).toBeGreaterThan(2e9);
    // An old Wasm pod ignores SIGTERM: it answers GET / at its pod IP for its whole 5 s grace period after the watch
    // shows it Terminating (a native server with drain-ms=0 stops at once), and the last one stops after the rollout.
    expect(m('old_pod_served_after_delete').summary.max).toBeGreaterThan(4e9);
    expect(m('old_pod_served_after_delete').summary.max).toBeLessThan(15e9);
    expect(m('old_pods_stopped').summary.max).toBeGreaterThan(m('rollout').summary.max);
    expect(m('latency_p99').summary.max).toBeGreaterThan(0);
    expect(res.notes!.join('\n')).toMatch(/terminationGracePeriodSeconds 5 .*Wasm pod under crun\+WasmEdge ignores SIGTERM/);
  }, 240_000);

  it('hot-update of Wasm pods made to drop requests (maxUnavailable=1, no readiness, slow replacement) counts them: refuted', async () => {
    const r = await cli(['run', 'hot-update', '--layer', 'kube', '--runtime', 'wasmedge', '--out', out, ...K, '--set', 'replicas=1', '--set', 'max-surge=0', '--set', 'max-unavailable=1', '--set', 'readiness=false', '--set', 'new-start-delay-ms=3000', '--set', 'drain-ms=0', '--set', 'rate=50', '--set', 'settle-ms=1000', '--set', 'timeout-ms=60000']);
    ids.push(...runIds(r.stdout));
    expect(r.code, r.stderr + r.stdout).toBe(1); // a refuted claim
    const res: Result = results(r.stderr)[0]!;
    expect(res.status, res.reason).toBe('ok');
    expect(res.verdicts[0]).toMatchObject({ verdict: 'refuted' });
    const row = res.series!['rollouts']![0] as { failed: number; failures: Record<string, number> };
    // The old pod leaves the endpoints when deleted; the new one is in them as soon as it runs (no probe) but its module
    // listens 3 s later: no endpoint, then refused, for > 3 s at 50/s.
    expect(row.failed).toBeGreaterThan(100);
    expect(Object.keys(row.failures).every((k) => /ECONNREFUSED|no-endpoints|ECONNRESET|timeout/.test(k))).toBe(true);
    expect((res.verdicts[0] as { requestsFailed: number }).requestsFailed).toBe(row.failed);
  }, 240_000);

  it('scale-out 0→3 of Wasm http pods: each new pod timed to Ready and to serving at its pod IP', async () => {
    const r = await cli(['run', 'scale-out', '--layer', 'kube', '--runtime', 'wasmedge', '--fixture', 'http', '--out', out, ...K, '--set', 'from=0', '--set', 'to=3', '--set', 'timeout-ms=60000']);
    ids.push(...runIds(r.stdout));
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const res: Result = results(r.stderr)[0]!;
    expect(res.status, res.reason).toBe('ok');
    expect(res.counts).toMatchObject({ measured: 4, failed: 0 });
    const m = (n: string) => res.metrics.find((x) => x.name === n)!;
    expect(m('pod_scale_to_serving').summary.count).toBe(3);
    expect(m('first_serving').summary.max).toBeLessThanOrEqual(m('all_serving').summary.max);
    expect(m('first_serving').summary.max).toBeGreaterThan(m('pod_scale_to_scheduled').summary.min);
    const round = res.series!['rounds']![0] as { firstServingMs: number; allServingMs: number };
    expect(round.allServingMs).toBeCloseTo(m('all_serving').summary.max / 1e6, 3);
  }, 180_000);

  it('cleans up after SIGINT in the middle of a Wasm rollout under load', async () => {
    const before = new Set(await allLeftovers());
    const child = spawn(process.execPath, [CLI, 'run', 'hot-update', '--layer', 'kube', '--runtime', 'wasmedge', '--out', out, ...K, '--set', 'new-start-delay-ms=5000', '--set', 'settle-ms=3000', '--set', 'drain-ms=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let mine: string[] = [];
    for (let i = 0; i < 120 && mine.length === 0; i++) {
      await sleep(500);
      mine = (await allLeftovers()).filter((x) => !before.has(x) && x.endsWith('-wasmedge'));
    }
    expect(mine.length).toBe(1);
    await sleep(8000); // pods up, load running, the update sent, the first replacement not yet listening
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code, stderr).toBe(130);
    const runId = /namespace\/eb-(.+)-wasmedge$/.exec(mine[0]!)![1]!;
    expect(await allLeftovers(runId)).toEqual([]);
  }, 180_000);
});
