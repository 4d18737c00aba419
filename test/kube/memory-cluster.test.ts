/** The memory suite at the kube layer on the dev cluster: pods' memory (summary API, /proc, cgroups) and the control plane's. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Result } from '../../src/result/types.js';
import { describeWith } from '../helpers/system.js';
import { allLeftovers, cli, CLI, DEV_KUBECONFIG, devCluster, runIds, results } from './cluster-helpers.js';

const out = mkdtempSync(join(tmpdir(), 'eb-kube-memory-'));
const K = ['--kubeconfig', DEV_KUBECONFIG];
const MiB = 2 ** 20;

describeWith('memory suite at the kube layer on the dev cluster', devCluster, () => {
  const ids: string[] = [];
  afterAll(async () => {
    for (const id of ids) expect(await allLeftovers(id)).toEqual([]);
  });

  it('reads each pod (kubelet working set, cgroups, PSS with shim) and the control plane (/proc), each with its clock', async () => {
    const r = await cli(['run', 'memory', '--layer', 'kube', '--runtime', 'runc', '--samples', '3', '--warmup', '1', '--set', 'control-plane-samples=3', '--set', 'interval-ms=300', '--out', out, ...K]);
    ids.push(...runIds(r.stdout));
    expect(r.code, r.stderr).toBe(0);
    const [res] = results(r.stderr);
    expect(res?.status, res?.reason).toBe('ok');
    const m = (name: string) => res!.metrics.find((x) => x.name === name);
    // Pods: three measured (the warm-up pod is not), values a serve pod can have.
    const ws = m('working_set_bytes')!;
    expect(ws.clock.source).toBe('kubelet');
    expect(ws.summary.count).toBe(3);
    expect(ws.summary.p50).toBeGreaterThan(16 * 1024);
    expect(ws.summary.max).toBeLessThan(64 * MiB);
    expect(m('cgroup_bytes')!.clock.source).toBe('cgroup');
    const pss = m('pss_bytes')!;
    const shim = m('shim_pss_bytes')!;
    expect(pss.clock.source).toBe('procfs');
    expect(shim.summary.min).toBeGreaterThan(512 * 1024); // a Go shim is megabytes
    expect(pss.summary.min).toBeGreaterThan(shim.summary.min); // pod processes + shim
    const pods = (res!.series?.['pods'] ?? []) as Record<string, unknown>[];
    expect(pods).toHaveLength(4);
    expect(pods.every((p) => Number(p['processes']) >= 2)).toBe(true); // pause + serve at least
    // Control plane: upstream components, no K3s here.
    const cp = m('control_plane_rss')!;
    expect(cp.summary.count).toBe(3);
    expect(cp.summary.p50).toBeGreaterThan(100 * MiB);
    expect(cp.summary.p50).toBeLessThan(16 * 1024 * MiB);
    expect(m('control_plane_pss')!.summary.p50).toBeLessThanOrEqual(cp.summary.p50);
    expect(m('k3s_rss')).toBeUndefined();
    // The dev cluster runs containerd and the kubelet in cgroups named to the kubelet: the summary API reports them.
    const rt = m('runtime_working_set_bytes')!;
    expect(rt.clock.source).toBe('kubelet');
    expect(rt.summary.p50).toBeGreaterThan(4 * MiB); // containerd and the pods' shims
    expect(m('kubelet_working_set_bytes')!.summary.p50).toBeGreaterThan(4 * MiB);
    const notes = res!.notes ?? [];
    // Members in /proc scan order (not fixed): each one named with its pid.
    const cpNote = notes.find((n) => n.startsWith('control plane on edgebench-node: kubernetes; ')) ?? '';
    for (const c of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'etcd', 'containerd']) expect(cpNote).toMatch(new RegExp(`[;,] ${c} \\(pid \\d+\\)`));
    expect(cpNote).toMatch(/; containerd listens on the kubelet's runtime endpoint \/run\/edgebench\/kube\/containerd\.sock$/);
    expect(notes).toContain('k3s_rss not measured: no k3s-server or k3s-agent process on node edgebench-node (control plane here: kubernetes)');
    // The K3s claim is not judged on an upstream control plane, and says why.
    const c = await cli(['claims', join(out, res!.runId), '--format', 'json', '--fail-on', 'never']);
    expect(c.code, c.stderr).toBe(0);
    const k3s = (JSON.parse(c.stdout) as { verdicts: { claimId: string; layer: string; verdict: string; why: string }[] }).verdicts.filter((v) => v.claimId === 'k3s-memory-250mb');
    expect(k3s.map((v) => [v.layer, v.verdict])).toEqual([['kube', 'not-measured']]);
    expect(k3s[0]!.why).toMatch(/k3s_rss not measured: no k3s-server or k3s-agent process/);
  }, 300_000);

  it('says "not measured" on a simulated node, which has no kubelet', async () => {
    const r = await cli(['run', 'memory', '--layer', 'kube', '--runtime', 'runc', '--samples', '2', '--out', out, ...K, '--opt', 'sim-node=true']);
    ids.push(...runIds(r.stdout));
    expect(r.code, r.stderr).toBe(0);
    const [res] = results(r.stderr);
    expect(res?.status).toBe('not-measured');
    expect(res?.reason).toMatch(/simulated node has no kubelet/);
    expect(res?.metrics).toEqual([]);
  }, 120_000);

  it('SIGINT during the control-plane readings: exit 130, invalid with the planned attempts, raw samples kept, nothing left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-kube-memory-int-'));
    const child = spawn(process.execPath, [CLI, 'run', 'memory', '--layer', 'kube', '--runtime', 'runc', '--samples', '2', '--warmup', '0', '--set', 'control-plane-samples=120', '--set', 'interval-ms=500', '--out', dir, ...K], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    // Wait until the raw file holds a control-plane reading (the pods have been read by then).
    const raw = (): string => {
      const runs = existsSync(dir) ? readdirSync(dir) : [];
      const f = runs.length ? join(dir, runs[0]!, 'memory__kube__runc__serve.samples.ndjson') : '';
      return f && existsSync(f) ? readFileSync(f, 'utf8') : '';
    };
    for (let i = 0; i < 240 && !raw().includes('control_plane_rss'); i++) await new Promise((r) => setTimeout(r, 250));
    expect(raw()).toContain('control_plane_rss');
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    const runId = readdirSync(dir)[0]!;
    ids.push(runId);
    const res = JSON.parse(readFileSync(join(dir, runId, 'memory__kube__runc__serve.json'), 'utf8')) as Result;
    expect(res.status).toBe('invalid');
    expect(res.reason).toMatch(/^interrupted after \d+ of 122 attempts \(raw samples kept\)$/);
    expect(raw().split('\n').filter((l) => l.includes('"type":"sample"') && l.includes('"working_set_bytes"'))).toHaveLength(2);
    expect(await allLeftovers(runId)).toEqual([]);
    expect(stdout).toMatch(/^run \S+:/m);
  }, 300_000);

  it('refuses an unknown setting before anything runs', async () => {
    const r = await cli(['run', 'memory', '--layer', 'kube', '--runtime', 'runc', '--out', out, ...K, '--set', 'control-plane-sample=3']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^edgebench: --set control-plane-sample: not a memory setting \(known: control-plane-samples, interval-ms, timeout-ms\)$/);
    expect(r.stdout).toBe('');
  });
});
