/**
 * hot-update and scale-out against the real Kubernetes 1.20 of scripts/dev-cluster.sh: a rollout made to drop
 * requests is refuted, maxSurge=1/maxUnavailable=0 with readiness holds; scale-out timings and node CPU; bad input;
 * cleanup after every run and after SIGINT. Leftovers are compared per test (the cluster may be shared).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Result } from '../../src/result/types.js';
import { describeWith } from '../helpers/system.js';
import { allLeftovers, cli, CLI, DEV_KUBECONFIG, devClient, devCluster, results } from './cluster-helpers.js';
import { repoPath } from '../../src/util/paths.js';

const out = mkdtempSync(join(tmpdir(), 'eb-kube-wl-'));
const K = ['--kubeconfig', DEV_KUBECONFIG];

/** Runs the CLI and checks that the run left nothing of its own behind. */
async function runClean(args: string[]): Promise<{ code: number; stdout: string; stderr: string; res: Result[] }> {
  const r = await cli(args);
  const runId = /^run (\S+):/m.exec(r.stdout)?.[1];
  if (runId) expect(await allLeftovers(runId), `objects left behind by ${runId}`).toEqual([]);
  return { ...r, res: results(r.stderr) };
}

interface RolloutRow { sent: number; failed: number; failures: Record<string, number>; rolloutNs: number | null; events: { event: string }[] }

describeWith('hot-update and scale-out on the dev cluster', devCluster, () => {
  it('refuses bad settings with one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['hot-update', '--set', 'max-surge=0', '--set', 'max-unavailable=0'], /max-surge=0 with max-unavailable=0/],
      [['hot-update', '--set', 'rate=0'], /--set rate=0: expected a whole number in 1\.\.10000/],
      [['scale-out', '--set', 'from=3', '--set', 'to=2'], /--set to=2: must be more than from=3/],
      [['scale-out', '--set', 'nope=1'], /--set nope: not a scale-out setting/],
    ];
    for (const [args, want] of cases) {
      const r = await runClean(['run', ...args, '--layer', 'kube', '--out', out, ...K]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(want);
    }
  });

  it('refutes zero downtime for maxUnavailable=1 with a slow-starting replacement and no readiness probe', async () => {
    const r = await runClean(['run', 'hot-update', '--layer', 'kube', '--out', out, ...K, '--set', 'replicas=1', '--set', 'max-surge=0', '--set', 'max-unavailable=1', '--set', 'readiness=false', '--set', 'new-start-delay-ms=3000', '--set', 'drain-ms=0', '--set', 'rate=50', '--set', 'settle-ms=2000']);
    expect(r.code, r.stderr + r.stdout).toBe(1); // a refuted claim
    const res = r.res[0]!;
    expect(res.status, res.reason).toBe('ok');
    expect(res.verdicts[0]).toMatchObject({ verdict: 'refuted' });
    const row = res.series!['rollouts']![0] as RolloutRow;
    expect(row.rolloutNs).not.toBeNull();
    // The old pod is gone before the new one listens: requests are refused or find no endpoint for ~3 s at 50/s.
    expect(row.failed).toBeGreaterThan(50);
    expect(Object.keys(row.failures).some((k) => /ECONNREFUSED|no-endpoints|ECONNRESET/.test(k))).toBe(true);
    expect(r.stdout).toMatch(/verdict hot-update kube\/default: refuted/);
  }, 180_000);

  it('zero downtime holds for maxSurge=1/maxUnavailable=0 with a readiness probe and a slow-starting replacement', async () => {
    const r = await runClean(['run', 'hot-update', '--layer', 'kube', '--out', out, ...K, '--set', 'replicas=2', '--set', 'max-surge=1', '--set', 'max-unavailable=0', '--set', 'new-start-delay-ms=3000', '--set', 'drain-ms=2000', '--set', 'rate=50', '--set', 'settle-ms=2000']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const res = r.res[0]!;
    expect(res.status, res.reason).toBe('ok');
    expect(res.verdicts[0]).toMatchObject({ verdict: 'holds', requestsFailed: 0 });
    const row = res.series!['rollouts']![0] as RolloutRow;
    expect(row.failed).toBe(0);
    expect(row.sent).toBeGreaterThan(200);
    // Two replacements, each Ready only after its 3 s start delay, one at a time: the rollout cannot be faster than 6 s.
    expect(row.rolloutNs!).toBeGreaterThan(6e9);
    expect(res.metrics.find((m) => m.name === 'latency_p99')).toBeDefined();
  }, 180_000);

  it('scale-out 0→4 and 1→4: per-pod time to Ready, first ≤ all Ready, node CPU series with its max', async () => {
    for (const from of [0, 1]) {
      const r = await runClean(['run', 'scale-out', '--layer', 'kube', '--out', out, ...K, '--set', `from=${from}`, '--set', 'to=4']);
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const res = r.res[0]!;
      expect(res.status, res.reason).toBe('ok');
      expect(res.counts).toMatchObject({ failed: 0 });
      expect(res.counts!.measured).toBe(4 - from + 1); // new pods + the round
      const m = (n: string) => res.metrics.find((x) => x.name === n)!;
      expect(m('pod_scale_to_ready').summary.count).toBe(4 - from);
      expect(m('first_ready').summary.max).toBeLessThanOrEqual(m('all_ready').summary.max);
      const round = res.series!['rounds']![0] as { cpuMaxMillicores: { host: number; pods: number; nodeAgent: number } };
      expect(round.cpuMaxMillicores.host).toBeGreaterThan(0);
      expect(round.cpuMaxMillicores.nodeAgent).toBeGreaterThan(0);
      expect(res.series!['cpu']!.length).toBeGreaterThan(8);
    }
  }, 240_000);

  it('reports not measured when the Service never gets endpoints, leaving nothing behind', async () => {
    const r = await runClean(['run', 'hot-update', '--layer', 'kube', '--out', out, ...K, '--opt', `image=localhost/edgebench/absent-${process.pid}-${Date.now()}:none`, '--set', 'timeout-ms=8000']);
    expect(r.res[0]!.reason, JSON.stringify(r.res[0]!.notes)).toMatch(/Service web never got 2 ready endpoint\(s\)/);
    expect(r.res[0]).toMatchObject({ status: 'not-measured' });
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('cleans up after SIGINT in the middle of a rollout under load', async () => {
    const before = new Set(await allLeftovers());
    const child = spawn(process.execPath, [CLI, 'run', 'hot-update', '--layer', 'kube', '--out', out, ...K, '--set', 'new-start-delay-ms=5000', '--set', 'settle-ms=5000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // Its namespace (eb-<run id>-default, created after this test began) appears; interrupt while the rollout runs.
    let mine: string[] = [];
    for (let i = 0; i < 120 && mine.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      mine = (await allLeftovers()).filter((x) => !before.has(x) && x.endsWith('-default'));
    }
    expect(mine.length).toBe(1);
    await new Promise((r) => setTimeout(r, 6000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code, stderr).toBe(130);
    const runId = /namespace\/eb-(.+)-default$/.exec(mine[0]!)![1]!;
    expect(await allLeftovers(runId)).toEqual([]);
  }, 180_000);

  it('autoscale: the real HPA scales on the harness\'s metric; per replica decision → Ready; sync period and resolution stated', async () => {
    const r = await runClean(['run', 'autoscale', '--layer', 'kube', '--out', out, ...K, '--set', 'rate=60', '--set', 'per-replica=20', '--set', 'max-replicas=3']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const res = r.res[0]!;
    expect(res.status, res.reason).toBe('ok');
    const m = (n: string) => res.metrics.find((x) => x.name === n);
    expect(m('decision_to_ready')!.summary.count).toBe(2); // 1 → 3 replicas
    expect(m('load_to_decision')!.summary.min).toBeGreaterThan(0);
    expect(res.notes!.join('\n')).toMatch(/HPA sync period: 15s .*metric resolution: request rate over a sliding 1 s window/);
    expect(res.notes!.join('\n')).toMatch(/HPA autoscaling\/v2beta2/);
    const c = devClient();
    try {
      expect((await c.request('GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.external.metrics.k8s.io', { accept: [404] })).status).toBe(404);
    } finally {
      c.close();
    }
  }, 180_000);

  it('autoscale: an HPA without a metrics API is not measured, with the reason', async () => {
    const r = await runClean(['run', 'autoscale', '--layer', 'kube', '--out', out, ...K, '--set', 'metrics-api=none', '--set', 'timeout-ms=40000']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.res[0]).toMatchObject({ status: 'not-measured' });
    expect(r.res[0]!.reason).toMatch(/HPA without a metrics API cannot scale: FailedGetExternalMetric/);
  }, 120_000);

  it('offline: no hook configured, or a failing hook → not measured, cluster as found', async () => {
    const none = await runClean(['run', 'offline', '--layer', 'kube', '--out', out, ...K]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.res[0]!.reason).toMatch(/no partition hook configured/);
    const bad = await runClean(['run', 'offline', '--layer', 'kube', '--out', out, ...K, '--set', 'partition-cmd=echo cannot reach agent >&2; exit 3', '--set', 'heal-cmd=true']);
    expect(bad.res[0]).toMatchObject({ status: 'not-measured' });
    expect(bad.res[0]!.reason).toMatch(/partition hook failed: exit 3: cannot reach agent/);
  }, 120_000);

  it('offline: the kubelet cut off by an iptables rule keeps serving locally; heal and resync are timed; the rule is gone after', async () => {
    const hook = repoPath('scripts', 'partition-kubelet.sh');
    const r = await runClean(['run', 'offline', '--layer', 'kube', '--out', out, ...K, '--set', `partition-cmd=bash ${hook} cut`, '--set', `heal-cmd=bash ${hook} heal`, '--set', 'partition-ms=12000']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const res = r.res[0]!;
    expect(res.status, res.reason).toBe('ok');
    expect(res.verdicts[0]).toMatchObject({ verdict: 'holds', requestsFailed: 0 });
    expect((res.verdicts[0] as { requestsSent: number }).requestsSent).toBeGreaterThan(400);
    const m = (n: string) => res.metrics.find((x) => x.name === n)!;
    expect(m('heal_to_lease_renewed').summary.count).toBe(1);
    expect(m('heal_to_pending_pod_ready').summary.max).toBeGreaterThan(0);
    expect(execFileSync('bash', [hook, 'status']).toString().trim()).toBe('healed');
  }, 180_000);
});
