/**
 * The cri target against a real containerd CRI (edgebench's own, started by scripts/cri-containerd.sh up):
 * cold start per phase, a small density ramp with memory, cleanup after a run, after SIGINT and by label,
 * and the bad-input lines.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Sample } from '../../src/core/metric.js';
import { resolveWorkload } from '../../src/fixtures/workload.js';
import { newRunId } from '../../src/util/run-id.js';
import { CriClient } from '../../src/targets/cri/client.js';
import { cleanupCri } from '../../src/targets/cri/cleanup.js';
import '../../src/targets/cri/index.js';
import { OWNER_LABEL, RUN_LABEL, safeToken, sandboxConfig } from '../../src/targets/cri/pod.js';
import { DEFAULT_CRI_SOCKET } from '../../src/targets/cri/socket.js';
import { runDensity } from '../../suites/density/run.js';
import type { DensityStep } from '../../suites/density/types.js';
import { createTarget } from '../../src/targets/registry.js';
import { repoPath } from '../../src/util/paths.js';
import { CLI, runCli } from '../helpers/cli.js';
import { describeWith } from '../helpers/system.js';
import { leftovers, runCgroups } from './leftovers.js';

const SOCKET = process.env['EDGEBENCH_CRI_SOCKET'] ?? DEFAULT_CRI_SOCKET;
const SCRIPT = repoPath('scripts', 'cri-containerd.sh');

/** null when edgebench's containerd answers CRI with its pause image present. */
function criReady(): string | null {
  try {
    if (!statSync(SOCKET).isSocket()) return `${SOCKET} is not a socket`;
  } catch {
    return `no CRI socket at ${SOCKET} (run scripts/cri-containerd.sh up)`;
  }
  const r = spawnSync('ctr', ['--address', SOCKET, '--namespace', 'k8s.io', 'images', 'ls', '-q'], { encoding: 'utf8', timeout: 15_000 });
  if (r.status !== 0) return `ctr cannot talk to ${SOCKET}`;
  return r.stdout.includes('edgebench.local/pause:serve') ? null : 'sandbox image edgebench.local/pause:serve missing (run scripts/cri-containerd.sh up)';
}



const tmp = mkdtempSync(join(tmpdir(), 'eb-cri-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describeWith('cri target on containerd', criReady, () => {
  it('cold-starts noop pods under runc: phases add up, containerd’s interval lies inside the client’s, nothing is left', async () => {
    const runId = newRunId();
    const target = createTarget('cri', 'runc', { runId, socket: SOCKET });
    await target.preflight?.();
    const avail = await target.probe();
    expect(avail.available).toBe(true);
    const samples: Sample[] = [];
    const metrics = await target.coldStart!({ workload: resolveWorkload('noop', 'native'), samples: 5, warmup: 1, onSample: (s) => samples.push(s), signal: new AbortController().signal });
    expect(metrics.map((m) => m.name)).toEqual(expect.arrayContaining(['sandbox_start', 'container_create_start', 'exit_observed', 'ctrd_create_to_start']));
    expect(metrics.find((m) => m.name === 'ctrd_create_to_start')?.clock.source).toBe('containerd-event');
    expect(samples).toHaveLength(6);
    for (const s of samples) {
      expect(s.ok, s.error).toBe(true);
      const v = s.values;
      expect(v['sandbox_start']).toBeGreaterThan(1e6); // a pause container takes more than 1 ms
      expect(v['container_create_start']).toBe((v['container_create'] ?? NaN) + (v['container_start'] ?? NaN));
      expect(v['wall']).toBe((v['sandbox_start'] ?? NaN) + (v['container_create_start'] ?? NaN) + (v['exit_observed'] ?? NaN));
      // containerd stamps createdAt inside CreateContainer and startedAt inside StartContainer.
      expect(v['ctrd_create_to_start']).toBeGreaterThan(0);
      expect(v['ctrd_create_to_start']).toBeLessThanOrEqual((v['container_create_start'] ?? 0) + 1e6);
    }
    expect(await leftovers(SOCKET, runId)).toEqual({ sandboxes: 0, containers: 0 });
    expect(runCgroups(runId)).toEqual([]);
  });

  it('runs the same pod under the crun handler; wasmedge without a handler of that name is not measured, with the reason', async () => {
    const runId = newRunId();
    const crun = createTarget('cri', 'crun', { runId, socket: SOCKET });
    expect((await crun.probe()).available).toBe(true);
    const samples: Sample[] = [];
    await crun.coldStart!({ workload: resolveWorkload('noop', 'native'), samples: 2, warmup: 0, onSample: (s) => samples.push(s), signal: new AbortController().signal });
    expect(samples.map((s) => [s.ok, s.error])).toEqual([[true, undefined], [true, undefined]]);
    expect(await leftovers(SOCKET, runId)).toEqual({ sandboxes: 0, containers: 0 });
    const wasm = await createTarget('cri', 'wasmedge', { socket: SOCKET }).probe();
    const c = new CriClient(SOCKET);
    const handlers = Object.keys(JSON.parse((await c.status(true)).info['config'] ?? '{}').containerd?.runtimes ?? {});
    c.close();
    // With the handler (crun+WasmEdge build or runwasi shim) test/cri/wasm.test.ts runs Wasm pods; without, the reason.
    if (handlers.includes('wasmedge')) expect(wasm.available).toBe(true);
    else expect(wasm).toMatchObject({ available: false, reason: expect.stringMatching(/^containerd has no runtime handler "wasmedge" \(has: runc, crun\)$/) });
  });

  it('ramps a small density of serve pods with memory per pod, then removes them all', async () => {
    const runId = newRunId();
    const target = createTarget('cri', 'runc', { runId, socket: SOCKET });
    const samples: Sample[] = [];
    const steps: DensityStep[] = [];
    const out = await runDensity(target, {
      workload: resolveWorkload('serve', 'native'), target: 5, step: 2, minAvailableBytes: 256 * 2 ** 20,
      onStart: (s) => samples.push(s), onStep: (s) => steps.push(s), signal: new AbortController().signal,
    });
    expect(out.reached).toBe(5);
    expect(out.failure).toBeNull();
    expect(steps.map((s) => s.instances)).toEqual([2, 4, 5]);
    for (const s of samples) {
      expect(s.ok, s.error).toBe(true);
      expect(s.values['pod_cgroup_bytes']).toBeGreaterThan(0);
      expect(s.values['shim_pss_bytes']).toBeGreaterThan(100 * 1024); // a Go shim is more than 100 kB
      expect(s.values['shim_rss_bytes']).toBeGreaterThanOrEqual(s.values['shim_pss_bytes'] ?? Infinity);
    }
    const last = steps[steps.length - 1]!;
    expect(last.processes).toBeGreaterThanOrEqual(5 * 3); // pause + serve + shim per pod
    expect(last.shimPssBytes).toBeGreaterThan(0);
    expect(await leftovers(SOCKET, runId)).toEqual({ sandboxes: 0, containers: 0 });
    expect(runCgroups(runId)).toEqual([]);
  });

  it('removes every pod after SIGINT mid-run and exits 130', async () => {
    const out = join(tmp, 'sigint');
    const child = spawn(process.execPath, [CLI, 'run', 'cold-start', '--layer', 'cri', '--runtime', 'runc', '--fixture', 'noop', '--samples', '500', '--warmup', '0', '--out', out, '--quiet'], {
      stdio: 'ignore',
      env: { ...process.env, EDGEBENCH_CRI_SOCKET: SOCKET },
    });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const c = new CriClient(SOCKET);
    let runId: string | null = null;
    const deadline = Date.now() + 30_000;
    while (!runId && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      const mine = existsSync(out) ? readdirSync(out, { withFileTypes: true }).find((d) => d.isDirectory())?.name : undefined;
      if (mine && (await c.listContainers({ [RUN_LABEL]: mine })).length > 0) runId = mine;
    }
    c.close();
    expect(runId, 'a pod of the run appeared').not.toBeNull();
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await leftovers(SOCKET, runId!)).toEqual({ sandboxes: 0, containers: 0 });
    expect(runCgroups(runId!)).toEqual([]);
  });

  it('cleanup removes a run’s leftover pods by label', async () => {
    const runId = newRunId();
    const c = new CriClient(SOCKET);
    try {
      const sb = sandboxConfig(runId, 0, 'host');
      await c.runPodSandbox(sb, 'runc'); // left behind on purpose, as a killed run would
      expect((await c.listPodSandbox({ [RUN_LABEL]: runId, [OWNER_LABEL]: 'edgebench' })).length).toBe(1);
    } finally {
      c.close();
    }
    const check = await runCli(['cleanup', '--check', '--label', runId], { env: { ...process.env, EDGEBENCH_CRI_SOCKET: SOCKET } });
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(new RegExp(`^cri-pod +${runId} +eb-`, 'm'));
    const r = await runCli(['cleanup', '--label', runId], { env: { ...process.env, EDGEBENCH_CRI_SOCKET: SOCKET } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cri: removed 1 pod\(s\)/m);
    expect((await cleanupCri(runId, { check: true, options: { socket: SOCKET } })).pods).toEqual([]);
    expect(await leftovers(SOCKET, runId)).toEqual({ sandboxes: 0, containers: 0 });
    expect(runCgroups(runId)).toEqual([]);
  });

  it('bad input: no socket, unknown runtime, missing sandbox image → one line, exit 2', async () => {
    const none = await runCli(['run', 'cold-start', '--layer', 'cri', '--runtime', 'runc', '--out', tmp], { env: { ...process.env, EDGEBENCH_CRI_SOCKET: join(tmp, 'none.sock') } });
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^edgebench: no CRI socket at .*none\.sock/)]);
    const unknown = await runCli(['run', 'cold-start', '--layer', 'cri', '--runtime', 'kata', '--out', tmp]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toMatch(/^edgebench: unknown runtime "kata" for layer cri \(known: runc, crun, wasmedge\)$/);
    // A second, empty containerd of our own (no images imported): the sandbox image is missing.
    const env = { ...process.env, EDGEBENCH_CRI_RUN: join(tmp, 'alt-run'), EDGEBENCH_CRI_LIB: join(tmp, 'alt-lib') };
    const up = spawnSync('bash', [SCRIPT, 'start'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(up.status, up.stderr).toBe(0);
    try {
      const r = await runCli(['run', 'cold-start', '--layer', 'cri', '--runtime', 'runc', '--out', tmp], { env: { ...process.env, EDGEBENCH_CRI_SOCKET: join(tmp, 'alt-run', 'containerd.sock') } });
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(/^edgebench: sandbox image edgebench\.local\/pause:serve is not in containerd at .*alt-run\/containerd\.sock/);
      expect(readdirSync(tmp).filter((f) => /^\d{8}t/.test(f))).toEqual([]); // no result folder half-written
    } finally {
      spawnSync('bash', [SCRIPT, 'purge'], { env, timeout: 60_000 });
    }
    expect(existsSync(join(tmp, 'alt-lib'))).toBe(false);
  });
});
