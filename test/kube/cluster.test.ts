/**
 * The kube layer against a real Kubernetes 1.20 (scripts/dev-cluster.sh): bad input, real pods on the real
 * kubelet, injected delays recovered on the simulated node, faults, cleanup after SIGINT.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Result } from '../../src/result/types.js';
import { FaultProxy } from '../../src/kube/fault-proxy.js';
import { describeWith } from '../helpers/system.js';
import { allLeftovers, cli, CLI, DEV_KUBECONFIG, DEV_STATE, devCluster, runIds, results } from './cluster-helpers.js';

const out = mkdtempSync(join(tmpdir(), 'eb-kube-results-'));
const K = ['--kubeconfig', DEV_KUBECONFIG];

const metric = (r: Result, name: string) => r.metrics.find((m) => m.name === name);

describeWith('kube layer on the dev cluster', devCluster, () => {
  // The cluster may be shared with other sessions: leftovers are checked per run id.
  const ids: string[] = [];
  const track = (stdout: string): void => void ids.push(...runIds(stdout));
  afterAll(async () => {
    for (const id of ids) expect(await allLeftovers(id)).toEqual([]);
  });

  it('refuses bad input with one line and exit 2, creating nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-kube-bad-'));
    const good = readFileSync(DEV_KUBECONFIG, 'utf8');
    const badToken = join(dir, 'badtoken');
    writeFileSync(badToken, good.replace(/token: \S+/, 'token: not-a-valid-token'));
    const unreachable = join(dir, 'unreachable');
    writeFileSync(unreachable, good.replace(/server: \S+/, 'server: https://127.0.0.1:1'));
    const malformed = join(dir, 'malformed');
    writeFileSync(malformed, 'apiVersion: v1\nclusters: [ {{ oops');
    const cases: [string[], RegExp][] = [
      [['--kubeconfig', join(dir, 'absent')], /kubeconfig \S+absent: no such file/],
      [['--kubeconfig', malformed], /kubeconfig \S+malformed: malformed/],
      [['--kubeconfig', badToken], /unauthorised \(HTTP 401\)/],
      [['--kubeconfig', join(DEV_STATE, 'unauthorised.kubeconfig')], /forbidden \(HTTP 403\)/],
      [['--kubeconfig', unreachable], /unreachable/],
      [[...K, '--context', 'nope'], /no context "nope"/],
      [[...K, '--runtime', 'wasmtime'], /RuntimeClass "wasmtime" does not exist/], // wasmedge exists once its handler does
    ];
    for (const [args, want] of cases) {
      const r = await cli(['run', 'cold-start', '--layer', 'kube', '--runtime', 'runc', '--fixture', 'serve', '--samples', '1', '--out', out, ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(want);
      expect(r.stdout).toBe(''); // refused before a run id was even chosen: nothing created
    }
    const big = await cli(['run', 'pod-density', '--layer', 'kube', '--runtime', 'runc', '--out', out, ...K, '--set', 'target=3000']);
    expect(big.code, big.stderr).toBe(2);
    expect(big.stderr).toMatch(/target of 3000 pods cannot fit: max-pods: node edgebench-node allows 110 pods .*--kubelet-arg=max-pods=.*pod CIDR: .*node-cidr-mask-size=20/);
    expect(big.stdout).toBe('');
  }, 300_000);

  it('doctor --kube reports version, nodes, CIDR, RuntimeClasses, summary API and what blocks 3000 pods', async () => {
    const r = await cli(['doctor', '--kube', ...K, '--target', '3000']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Kubernetes v1\.20/);
    expect(r.stdout).toMatch(/edgebench-node\s+yes\s+real\s+v1\.20\.\d+\s+containerd:\/\/\S+\s+110\s+\d+\s+10\.244\.0\.0\/24\s+253\s+reachable/);
    expect(r.stdout).toMatch(/RuntimeClasses: runc \(handler runc\)/);
    expect(r.stdout).toMatch(/missing: wasmtime/);
    expect(r.stdout).toMatch(/edgebench-node: blocked by\n\s+- max-pods/);
  }, 120_000);

  it('real pods on the real kubelet give per-phase figures with their clock sources', async () => {
    const r = await cli(['run', 'cold-start', '--layer', 'kube', '--runtime', 'runc,default', '--fixture', 'serve', '--samples', '5', '--warmup', '1', '--out', out, ...K]);
    track(r.stdout);
    expect(r.code, r.stderr).toBe(0);
    const res = results(r.stderr);
    expect(res.map((x) => x.runtime)).toEqual(['runc', 'default']);
    for (const x of res) {
      expect(x.status, x.reason).toBe('ok');
      expect(x.counts).toMatchObject({ measured: 5, failed: 0 });
      const wall = metric(x, 'wall')!;
      const create = metric(x, 'create')!;
      expect(wall.clock.source).toBe('client-monotonic');
      expect(create.clock.resolution).toBe(1);
      // A pod start on a real kubelet takes more than the create request and less than a minute.
      expect(wall.summary.p50).toBeGreaterThan(create.summary.p50);
      expect(wall.summary.p50).toBeGreaterThan(20e6);
      expect(wall.summary.max).toBeLessThan(60e9);
      // One-second API timestamps never give a sub-second phase.
      expect(metric(x, 'create_to_schedule')).toBeUndefined();
      expect(x.notes?.join('\n')).toMatch(/phase create_to_schedule: 0 measured, 5 resolution-limited/);
    }
  }, 600_000);

  it('recovers known start delays injected on the simulated node', async () => {
    const p50 = async (delay: number): Promise<number> => {
      const r = await cli(['run', 'cold-start', '--layer', 'kube', '--runtime', 'runc', '--fixture', 'serve', '--samples', '8', '--warmup', '1', '--out', out, ...K, '--opt', 'sim-node=true', '--opt', `sim-start-delay-ms=${delay}`]);
      track(r.stdout);
      expect(r.code, r.stderr).toBe(0);
      const x = results(r.stderr)[0]!;
      expect(x.status, x.reason).toBe('ok');
      expect(x.notes?.join('\n')).toMatch(/cluster https:\/\/127\.0\.0\.1/);
      const w = metric(x, 'wall')!;
      process.stderr.write(`simulated node, injected start delay ${delay} ms: pod startup (create sent → watch shows running) p50 ${(w.summary.p50 / 1e6).toFixed(1)} ms, max ${(w.summary.max / 1e6).toFixed(1)} ms, n=${x.counts!.measured}, clock ${w.clock.source}\n`);
      return w.summary.p50;
    };
    const a = await p50(200);
    const b = await p50(1200);
    // The harness adds the API round trips (create, scheduler, status patch, watch): bounded, and the same for both.
    expect(a).toBeGreaterThanOrEqual(200e6);
    expect(a).toBeLessThan(200e6 + 400e6);
    expect(b).toBeGreaterThanOrEqual(1200e6);
    expect(Math.abs(b - a - 1000e6)).toBeLessThan(250e6);
  }, 300_000);

  it('under injected faults completes or marks the run invalid with the reason, leaving nothing behind', async () => {
    const kc = readFileSync(DEV_KUBECONFIG, 'utf8');
    const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(kc)![1]!, 'base64');
    const proxy = new FaultProxy(new URL('https://127.0.0.1:16443'), { ca }, { throttle429: 0.1, retryAfterSeconds: 1, error500: 0.05, slow: 0.1, slowMs: 300, dropWatch: 0.5, dropWatchAfterMs: 1500, seed: 7 });
    const url = await proxy.listen();
    let r: Awaited<ReturnType<typeof cli>>;
    try {
      r = await cli(['run', 'cold-start', '--layer', 'kube', '--runtime', 'runc', '--fixture', 'serve', '--samples', '10', '--warmup', '0', '--out', out, ...K, '--opt', `server=${url}`, '--opt', 'sim-node=true', '--opt', 'sim-start-delay-ms=100']);
      track(r.stdout);
      const x = results(r.stderr)[0]!;
      expect([0, 1]).toContain(r.code);
      if (x.status === 'ok') {
        expect(x.counts!.measured).toBe(10);
        expect(x.notes?.join('\n')).toMatch(/API wire: \d+ requests, [1-9]\d* retried/);
      } else {
        expect(x.status).toBe('invalid');
        expect(x.reason).toMatch(/./);
      }
      expect(proxy.counts.throttled + proxy.counts.errors).toBeGreaterThan(0);
      expect(proxy.counts.watchesDropped).toBeGreaterThan(0);
      process.stderr.write(`fault injection: status ${x.status}${x.reason ? ` (${x.reason})` : ''}; proxy ${JSON.stringify(proxy.counts)}; ${x.notes?.find((n) => n.startsWith('API wire'))}\n`);
    } finally {
      await proxy.close();
    }
    for (const id of runIds(r.stdout)) expect(await allLeftovers(id)).toEqual([]);
  }, 300_000);

  it('cleans up after SIGINT in the middle of a density run', async () => {
    const child = spawn(process.execPath, [CLI, 'run', 'pod-density', '--layer', 'kube', '--runtime', 'runc', '--out', out, ...K, '--opt', 'sim-node=true', '--set', 'target=400', '--set', 'qps=40', '--set', 'step=100', '--opt', 'sim-start-delay-ms=500'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // SIGINT once the run has created its namespace and simulated node and pods are being created
    const before = new Set(await allLeftovers());
    let runId: string | undefined;
    for (let i = 0; i < 120 && !runId; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const fresh = (await allLeftovers()).find((x) => !before.has(x) && /^namespace\/eb-.*-runc$/.test(x));
      runId = fresh?.replace(/^namespace\/eb-/, '').replace(/-runc$/, '');
    }
    expect(runId).toBeDefined();
    await new Promise((r) => setTimeout(r, 3000));
    expect(await allLeftovers(runId)).toHaveLength(2); // its namespace and its simulated node
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code, stderr).toBe(130);
    expect(await allLeftovers(runId)).toEqual([]);
    process.stderr.write(`SIGINT check: exit ${code}, leftovers after: none\n${stderr.split('\n').filter((l) => /interrupted|→/.test(l)).join('\n')}\n`);
  }, 300_000);
});
