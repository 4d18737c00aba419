/**
 * Wasm pods through containerd's CRI on handler "wasmedge" (scripts/cri-containerd.sh up configures it from the
 * crun+WasmEdge build of scripts/build-runtimes.sh, or runwasi's shim when on PATH): a hello pod runs to exit 0 and
 * logs the fixture's greeting, the cri/wasmedge target measures noop cold starts and a small serve density, and
 * nothing of a run is left behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Sample } from '../../src/core/metric.js';
import { resolveWorkload } from '../../src/fixtures/workload.js';
import { newRunId } from '../../src/util/run-id.js';
import { CRI_PROTO, CriClient } from '../../src/targets/cri/client.js';
import { ensureWorkloadImage } from '../../src/targets/cri/image.js';
import '../../src/targets/cri/index.js';
import { RUN_LABEL, WASM_POD_ANNOTATIONS, containerConfig, safeToken, sandboxConfig } from '../../src/targets/cri/pod.js';
import { DEFAULT_CRI_SOCKET } from '../../src/targets/cri/socket.js';
import { SandboxTracker } from '../../src/targets/cri/tracker.js';
import { runDensity } from '../../suites/density/run.js';
import type { DensityStep } from '../../suites/density/types.js';
import { createTarget } from '../../src/targets/registry.js';
import { repoPath } from '../../src/util/paths.js';
import { describeWith } from '../helpers/system.js';
import { leftovers, runCgroups } from './leftovers.js';

const SOCKET = process.env['EDGEBENCH_CRI_SOCKET'] ?? DEFAULT_CRI_SOCKET;
const GREETING = 'hello from edgebench';

/**
 * The runtime handlers the CRI at SOCKET reports (Status verbose → config), read synchronously in a child process
 * (a describe's requirement is synchronous); a string says why they could not be read.
 */
function criHandlers(): string[] | string {
  const script = `
    const grpc = require('@grpc/grpc-js'), pl = require('@grpc/proto-loader');
    const def = pl.loadSync(process.argv[1], { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true });
    const c = new (grpc.loadPackageDefinition(def).runtime.v1.RuntimeService)('unix://' + process.argv[2], grpc.credentials.createInsecure());
    c.Status({ verbose: true }, { deadline: Date.now() + 10000 }, (e, r) => {
      if (e) { console.error(e.message); process.exit(1); }
      console.log(Object.keys(JSON.parse(r.info.config).containerd.runtimes || {}).join(' '));
      process.exit(0);
    });`;
  const r = spawnSync(process.execPath, ['-e', script, CRI_PROTO, SOCKET], { cwd: repoPath(), encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 ? r.stdout.trim().split(/\s+/) : `CRI at ${SOCKET} does not answer Status (${(r.stderr || r.error?.message || '').trim().split('\n')[0]}; run scripts/cri-containerd.sh up)`;
}

/** null when the CRI answers and reports handler wasmedge, else why not. */
function wasmHandler(): string | null {
  if (!existsSync(SOCKET)) return `no CRI socket at ${SOCKET} (run scripts/cri-containerd.sh up)`;
  const h = criHandlers();
  if (typeof h === 'string') return h;
  return h.includes('wasmedge')
    ? null
    : `containerd at ${SOCKET} has no runtime handler "wasmedge" (has: ${h.join(', ')}): bash scripts/build-runtimes.sh build crun-1.8.1-wasmedge, then scripts/cri-containerd.sh up`;
}



/** The message lines of a CRI log file ("<time> stdout F <text>"), stdout only. */
function criLogLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => /^\S+ (stdout|stderr) [FP] (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === 'stdout')
    .map((m) => m[2]!);
}

const tmp = mkdtempSync(join(tmpdir(), 'eb-cri-wasm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describeWith('Wasm pods through CRI (handler wasmedge)', wasmHandler, () => {
  it('a hello pod runs the module on WasmEdge: exit 0, its log holds the greeting, the annotation reached the OCI spec', async () => {
    const runId = newRunId();
    const c = new CriClient(SOCKET);
    const tracker = new SandboxTracker(c, runId);
    try {
      const img = await ensureWorkloadImage(c, resolveWorkload('hello', 'wasm'));
      const logDir = join(tmp, 'logs');
      const sb = { ...sandboxConfig(runId, 0, 'host', WASM_POD_ANNOTATIONS), logDirectory: logDir };
      const sandboxId = await c.runPodSandbox(sb, 'wasmedge');
      tracker.add(sandboxId);
      const cid = await c.createContainer(sandboxId, { ...containerConfig(runId, img.ref, [], WASM_POD_ANNOTATIONS), logPath: 'hello.log' }, sb);
      await c.startContainer(cid);
      const deadline = Date.now() + 30_000;
      let st = await c.containerStatusVerbose(cid);
      while (st.status.state !== 'CONTAINER_EXITED' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        st = await c.containerStatusVerbose(cid);
      }
      expect(st.status.state).toBe('CONTAINER_EXITED');
      expect([st.status.exitCode, st.status.reason]).toEqual([0, 'Completed']);
      // A native exec of a .wasm file fails (exec format error): the greeting proves the module ran on the Wasm engine.
      expect(criLogLines(join(logDir, 'hello.log'))).toEqual([GREETING]);
      const spec = (JSON.parse(st.info['info'] ?? '{}') as { runtimeSpec?: { annotations?: Record<string, string>; process?: { args?: string[] } } }).runtimeSpec;
      expect(spec?.annotations?.['module.wasm.image/variant']).toBe('compat-smart');
      expect(spec?.process?.args).toEqual([expect.stringMatching(/^\/\S+\.wasm$/)]); // the image's entrypoint: the module
    } finally {
      // The target's own teardown: sandboxes, their containers and the run's cgroup dirs.
      expect((await tracker.removeAll()).errors).toEqual([]);
      c.close();
    }
    expect(await leftovers(SOCKET, runId)).toEqual({ sandboxes: 0, containers: 0 });
    expect(runCgroups(runId)).toEqual([]);
  }, 120_000);

  it('cri/wasmedge cold-starts noop Wasm pods with every phase, records what backs the handler, leaves nothing', async () => {
    const runId = newRunId();
    const target = createTarget('cri', 'wasmedge', { runId, socket: SOCKET });
    await target.preflight?.();
    const avail = await target.probe();
    expect(avail.available, avail.available ? '' : avail.reason).toBe(true);
    if (!avail.available) return;
    const notes = avail.notes?.join('\n') ?? '';
    expect(notes).toMatch(/^handler "wasmedge": runtimeType io\.containerd\.(runc\.v2; BinaryName \S+|wasmedge\.v1)/m);
    expect(notes).toMatch(/every sandbox and container is annotated module\.wasm\.image\/variant=compat-smart/);
    if (/runtimeType io\.containerd\.runc\.v2/.test(notes)) {
      // crun+WasmEdge: the build and the WasmEdge it loads are identified by their records.
      expect(notes).toMatch(/build crun-1\.8\.1-wasmedge \(crun 1\.8\.1, wasmedge; record \S+build\.json\); WasmEdge build wasmedge-\S+ \(\d+\.\d+\.\d+, (interpreter|llvm)/);
      expect(avail.tools.find((t) => t.name === 'crun')?.version).toMatch(/1\.8\.1/);
      expect(avail.tools.find((t) => t.name === 'libwasmedge')?.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    const samples: Sample[] = [];
    const metrics = await target.coldStart!({ workload: resolveWorkload('noop', 'wasm'), samples: 4, warmup: 1, onSample: (s) => samples.push(s), signal: new AbortController().signal });
    expect(metrics.map((m) => m.name)).toEqual(expect.arrayContaining(['wall', 'sandbox_start', 'container_create_start', 'exit_observed', 'ctrd_create_to_start']));
    expect(samples.map((s) => [s.ok, s.error])).toEqual(Array.from({ length: 5 }, () => [true, undefined]));
    for (const s of samples) {
      const v = s.values;
      expect(v['sandbox_start']).toBeGreaterThan(1e6);
      expect(v['container_start']).toBeGreaterThan(0);
      expect(v['wall']).toBe((v['sandbox_start'] ?? NaN) + (v['container_create_start'] ?? NaN) + (v['exit_observed'] ?? NaN));
    }
    expect(await leftovers(SOCKET, runId)).toEqual({ sandboxes: 0, containers: 0 });
    expect(runCgroups(runId)).toEqual([]);
  }, 300_000);

  it('ramps a small density of Wasm serve pods with memory per pod, then removes them all', async () => {
    const runId = newRunId();
    const target = createTarget('cri', 'wasmedge', { runId, socket: SOCKET });
    const samples: Sample[] = [];
    const steps: DensityStep[] = [];
    const out = await runDensity(target, {
      workload: resolveWorkload('serve', 'wasm'), target: 3, step: 2, minAvailableBytes: 256 * 2 ** 20,
      onStart: (s) => samples.push(s), onStep: (s) => steps.push(s), signal: new AbortController().signal,
    });
    expect([out.reached, out.failure]).toEqual([3, null]);
    expect(steps.map((s) => s.instances)).toEqual([2, 3]);
    for (const s of samples) {
      expect(s.ok, s.error).toBe(true);
      expect(s.values['pod_cgroup_bytes']).toBeGreaterThan(0);
      expect(s.values['shim_pss_bytes']).toBeGreaterThan(100 * 1024);
    }
    expect(steps[steps.length - 1]!.processes).toBeGreaterThanOrEqual(3 * 3); // pause + Wasm container + shim per pod
    expect(await leftovers(SOCKET, runId)).toEqual({ sandboxes: 0, containers: 0 });
    expect(runCgroups(runId)).toEqual([]);
  }, 300_000);
});
