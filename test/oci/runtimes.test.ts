import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { Sample } from '../../src/core/metric.js';
import { resolveWorkload } from '../../src/fixtures/workload.js';
import { dockerEnv } from '../../src/image/load.js';
import '../../src/targets/index.js';
import { createTarget } from '../../src/targets/registry.js';
import { runDensity } from '../../suites/density/run.js';
import type { DensityStep } from '../../suites/density/types.js';
import { scanLeftovers } from '../../src/targets/oci/cleanup.js';
import { ociHelperPath } from '../../src/targets/oci/helper.js';
import { STATE_ROOT, knownLabels } from '../../src/targets/oci/label.js';
import { repoPath } from '../../src/util/paths.js';
import { describeWith } from '../helpers/system.js';

const cli = repoPath('dist', 'src', 'cli', 'main.js');
const never = new AbortController().signal;
const scratch = join(STATE_ROOT, '..', `test-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
/** Leftovers of labels that did not exist before (other runs on the machine are not ours to judge). */
const newLeftovers = async (before: Set<string>) => (await scanLeftovers()).filter((l) => !before.has(l.label));

/** null when we are root, `bin` is on PATH and the eb-oci helper is built. */
function direct(bin: string): () => string | null {
  return () => {
    if (process.getuid?.() !== 0) return 'needs root';
    if (spawnSync(bin, ['--version'], { stdio: 'ignore' }).status !== 0) return `${bin} not installed`;
    return ociHelperPath() ? null : 'build/eb-oci not built (npm run build)';
  };
}
const daemon = (cmd: string, args: string[], env?: NodeJS.ProcessEnv) => (): string | null =>
  spawnSync(cmd, args, { stdio: 'ignore', env: env ?? process.env, timeout: 15_000 }).status === 0 ? null : `${cmd} ${args.join(' ')} fails (scripts/oci-daemons.sh)`;

/** Labels present now (to tell which ones a test created). */
const labelsNow = (): Set<string> => new Set(knownLabels());

async function coldStart(runtime: string, fixture: string, samples: number): Promise<Sample[]> {
  const t = createTarget('oci', runtime);
  const a = await t.probe();
  expect(a.available, JSON.stringify(a)).toBe(true);
  const got: Sample[] = [];
  const metrics = await t.coldStart!({ workload: resolveWorkload(fixture, 'native'), samples, warmup: 1, onSample: (s) => got.push(s), signal: never });
  expect(metrics.map((m) => m.name)).toContain('wall');
  return got;
}

async function density(runtime: string, target: number, step: number): Promise<{ steps: DensityStep[]; reached: number; failure: string | null }> {
  const t = createTarget('oci', runtime);
  expect((await t.probe()).available).toBe(true);
  const starts: Sample[] = [];
  const out = await runDensity(t, { workload: resolveWorkload('serve', 'native'), target, step, minAvailableBytes: 0, onStart: (s) => starts.push(s), onStep: () => undefined, signal: never });
  expect(starts.length).toBe(out.reached + (out.failure ? 1 : 0));
  return out;
}

for (const rt of ['crun', 'runc'] as const) {
  describeWith(`oci/${rt}`, direct(rt), () => {
    it('cold start: create, start, run and delete are timed separately and wall is their sum (delete aside)', async () => {
      const before = labelsNow();
      const s = await coldStart(rt, 'noop', 4);
      expect(s).toHaveLength(5);
      for (const x of s) {
        expect(x.ok, x.error).toBe(true);
        const v = x.values;
        expect(v['wall']).toBe((v['create'] ?? 0) + (v['start'] ?? 0) + (v['run'] ?? 0));
        expect(v['create']).toBeGreaterThan(1e5); // a container create takes well over 0.1 ms
        expect(v['delete']).toBeGreaterThan(0);
      }
      expect(knownLabels().filter((l) => !before.has(l))).toEqual([]);
    });
    it('a container exiting non-zero is a failed sample with its exit code', async () => {
      const s = await coldStart(rt, 'fail', 2);
      expect(s.every((x) => !x.ok && /^exit code [1-9]/.test(x.error ?? ''))).toBe(true);
    });
    it('density: 12 serve containers in steps of 4, memory and processes per step, then nothing left', async () => {
      const before = labelsNow();
      const out = await density(rt, 12, 4);
      expect(out.failure).toBeNull();
      expect(out.reached).toBe(12);
      expect(out.steps.map((s) => s.instances)).toEqual([4, 8, 12]);
      const last = out.steps.at(-1)!;
      expect(last.processes).toBe(12);
      expect(last.cgroupBytes).toBeGreaterThan(12 * 4096);
      expect(last.pssBytes).toBeGreaterThan(12 * 1024);
      expect(last.newest?.pssBytes).toBeGreaterThan(0);
      expect(await newLeftovers(before)).toEqual([]);
    });
  });
}

describeWith('oci/crun SIGINT midway', direct('crun'), () => {
  it('SIGINT during a density ramp: exit 130, no container, bundle or cgroup left', async () => {
    const before = labelsNow();
    const child = spawn(process.execPath, [cli, 'run', 'density', '--layer', 'oci', '--runtime', 'crun', '--set', 'target=400', '--set', 'step=50', '--out', join(scratch, 'results'), '--quiet'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    // Wait until the ramp has containers running.
    let running = 0;
    for (let i = 0; i < 200 && running < 5; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const mine = knownLabels().filter((l) => !before.has(l));
      running = mine.length ? readdirSync(join(STATE_ROOT, mine[0]!)).includes('state-crun') && existsSync(join(STATE_ROOT, mine[0]!, 'state-crun')) ? readdirSync(join(STATE_ROOT, mine[0]!, 'state-crun')).length : 0 : 0;
    }
    expect(running).toBeGreaterThanOrEqual(5);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await newLeftovers(before)).toEqual([]);
  }, 120_000);
});

describeWith('oci/containerd', daemon('ctr', ['version']), () => {
  it('cold start through ctr and a small density ramp leave nothing', async () => {
    const before = labelsNow();
    const s = await coldStart('containerd', 'noop', 3);
    expect(s.every((x) => x.ok && (x.values['wall'] ?? 0) > 1e6)).toBe(true);
    const out = await density('containerd', 4, 2);
    expect(out.reached).toBe(4);
    expect(out.steps.at(-1)!.shimPssBytes).toBeGreaterThan(0); // one runc v2 shim per container, outside its cgroup
    expect(await newLeftovers(before)).toEqual([]);
  });
});

describeWith('oci/docker', daemon('docker', ['version'], dockerEnv()), () => {
  it('cold start through docker and a small density ramp leave nothing', async () => {
    const before = labelsNow();
    const s = await coldStart('docker', 'noop', 3);
    expect(s.every((x) => x.ok && (x.values['wall'] ?? 0) > 1e6)).toBe(true);
    const out = await density('docker', 3, 3);
    expect(out.reached).toBe(3);
    expect(await newLeftovers(before)).toEqual([]);
    const ps = execFileSync('docker', ['ps', '-aq', '--filter', 'label=io.edgebench.run'], { env: dockerEnv(), encoding: 'utf8' });
    expect(ps.trim()).toBe('');
  });
});

describe('oci bad input and absent runtimes', () => {
  const run = (args: string[], env?: NodeJS.ProcessEnv) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  it('unknown runtime, bad settings, bad label: one line, exit 2', () => {
    for (const args of [
      ['run', 'cold-start', '--layer', 'oci', '--runtime', 'podman'],
      ['run', 'density', '--layer', 'oci', '--runtime', 'crun', '--set', 'target=lots'],
      ['run', 'density', '--layer', 'oci', '--runtime', 'crun', '--set', 'target=10', '--set', 'step=20'],
      ['cleanup', '--label', 'NOT-A-LABEL'],
    ]) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    }
  });
  it('a daemon that is not running: --load is one line and exit 2; a run is "not measured" with the reason', () => {
    const r = run(['image', 'build', 'noop', '--out', join(scratch, 'img'), '--load', 'containerd'], { EDGEBENCH_CONTAINERD_SOCK: '/nonexistent/containerd.sock' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^edgebench: image build --load containerd: containerd not answering at \/nonexistent\/containerd.sock/);
    expect(existsSync(join(scratch, 'img'))).toBe(false);
    const c = run(['run', 'cold-start', '--layer', 'oci', '--runtime', 'containerd', '--samples', '2', '--out', join(scratch, 'results')], { EDGEBENCH_CONTAINERD_SOCK: '/nonexistent/containerd.sock' });
    expect(c.status).toBe(0);
    expect(c.stdout).toMatch(/not-measured: containerd not answering/);
  });
});
