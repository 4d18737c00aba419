/**
 * `run` refuses what would lose or overwrite data before anything starts, and says why samples failed:
 * duplicate cells, bad --out, --timeout where it is not applied (exit 2, nothing left behind); a hung sample killed
 * by --timeout; the first failure's cause (exit code, end of stderr) in the result's reason and the summary.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResult } from '../../src/result/io.js';
import { readRawSamples } from '../../src/result/raw-samples.js';
import { repoPath } from '../../src/util/paths.js';
import { CLI, runCli } from '../helpers/cli.js';
import { execa } from 'execa';
import { livingProcesses } from '../helpers/procs.js';

const root = mkdtempSync(join(tmpdir(), 'eb-guard-'));
chmodSync(root, 0o755); // the unwritable-folder case runs as another user, who must reach it
afterAll(() => {
  chmodSync(join(root, 'readonly'), 0o755);
  rmSync(root, { recursive: true, force: true });
});
mkdirSync(join(root, 'readonly'), { mode: 0o555 });
chmodSync(join(root, 'readonly'), 0o555);
const SLEEP = repoPath('wasm-fixtures', 'native', 'x86_64', 'sleep');

/** The one result of a run folder written under `out`. */
function onlyResult(out: string, file: string): ReturnType<typeof readResult> {
  const runs = readdirSync(out);
  expect(runs).toHaveLength(1);
  return readResult(join(out, runs[0] as string, file));
}


describe('refused before anything runs (exit 2, one line, no run folder left)', () => {
  const refusals: Array<[string, string[], RegExp]> = [
    ['a runtime named twice', ['--runtime', 'native,native'], /^edgebench: run: the cell cold-start process\/native noop is named twice/],
    ['a fixture named twice', ['--runtime', 'native', '--fixture', 'noop,noop'], /^edgebench: run: the cell cold-start process\/native noop is named twice/],
    ['two fixtures writing one file', ['--runtime', 'native', '--fixture', `noop,${repoPath('wasm-fixtures', 'native', 'x86_64', 'noop')}`], /would write the same result file cold-start__process__native__noop\.json/],
    ['an unknown fixture', ['--runtime', 'native', '--fixture', 'noop,nope'], /^edgebench: unknown fixture "nope"/],
    ['--timeout at a layer that does not apply it', ['--layer', 'oci', '--runtime', 'crun', '--timeout', '1s'], /^edgebench: --timeout: not applied by oci\/crun: no per-start limit/],
    ['--timeout that is not a duration', ['--runtime', 'native', '--timeout', 'soon'], /^edgebench: --timeout: "soon" is not a duration/],
  ];
  it.each(refusals)('%s', async (_name, args, pattern) => {
    const out = join(root, `refused-${_name.replace(/\W+/g, '-')}`);
    const r = await runCli(['run', 'cold-start', ...args, '--samples', '2', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
    expect(existsSync(out)).toBe(false);
  });

  it('--timeout with a suite that has none', async () => {
    const r = await runCli(['run', 'density', '--layer', 'oci', '--runtime', 'crun', '--timeout', '1s', '--out', join(root, 'density')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^edgebench: --timeout: the density suite has no per-sample timeout/);
  });

  it('a refusal found after the run folder was made (an unreachable cluster) removes it, and the --out folders made for it', async () => {
    const kc = join(root, 'kubeconfig');
    writeFileSync(kc, 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true }\nusers:\n- name: u\n  user: { token: abc }\ncontexts:\n- name: x\n  context: { cluster: c, user: u }\ncurrent-context: x\n');
    const out = join(root, 'made', 'for', 'it');
    mkdirSync(join(root, 'made'));
    const r = await runCli(['run', 'cold-start', '--layer', 'kube', '--kubeconfig', kc, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unreachable/);
    expect(readdirSync(join(root, 'made'))).toEqual([]);
  });
});

describe('--out', () => {
  it('an existing file, a path through a file, /proc and /sys: exit 2 at once, naming the problem', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const cases: Array<[string, RegExp]> = [
      [file, /^edgebench: --out .*a-file: exists and is not a folder$/],
      [join(file, 'sub'), /^edgebench: --out .*a-file\/sub: .*a-file is a file, not a folder$/],
      ['/proc/edgebench-results', /^edgebench: --out \/proc\/edgebench-results: \/proc is on proc, a kernel filesystem, not storage for results$/],
      ['/sys/kernel/edgebench', /^edgebench: --out \/sys\/kernel\/edgebench: \/sys\/kernel is on sysfs, a kernel filesystem/],
    ];
    for (const [out, pattern] of cases) {
      const t0 = Date.now();
      const r = await runCli(['run', 'cold-start', '--runtime', 'native', '--samples', '2', '--out', out], { timeout: 20_000 });
      expect(r.code, out).toBe(2);
      expect(r.stderr.trim(), out).toMatch(pattern);
      expect(Date.now() - t0).toBeLessThan(15_000);
    }
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('a folder where this user cannot write: exit 2, nothing created', async () => {
    const out = join(root, 'readonly', 'results');
    // root writes anywhere: as root, run without the capabilities that override file modes (setpriv, util-linux).
    // Staying uid 0 keeps the clone readable wherever it lies (a fresh clone under a 0700 mktemp folder is not, to nobody).
    const asRoot = process.getuid?.() === 0;
    const cmd = asRoot ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', process.execPath] : [process.execPath];
    const r = await execa(cmd[0] as string, [...cmd.slice(1), CLI, 'run', 'cold-start', '--runtime', 'native', '--samples', '2', '--out', out], { reject: false, stdin: 'ignore' });
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr).trim()).toBe(`edgebench: --out ${out}: cannot write there (permission denied)`);
    expect(readdirSync(join(root, 'readonly'))).toEqual([]);
  });
});

describe('why samples failed', () => {
  it('a hung sample is killed by --timeout and counted failed "timed out after …"', async () => {
    const out = join(root, 'timeout');
    const t0 = Date.now();
    const r = await runCli(['run', 'cold-start', '--runtime', 'native', '--fixture', 'sleep', '--arg', '60000', '--timeout', '300ms', '--samples', '2', '--warmup', '0', '--out', out]);
    const took = Date.now() - t0;
    expect(r.code).toBe(1);
    expect(took).toBeLessThan(20_000);
    const result = onlyResult(out, 'cold-start__process__native__sleep.json');
    expect(result.status).toBe('invalid');
    expect(result.reason).toBe('all 2 measured samples failed; first failure: sample 0: timed out after 300 ms (killed)');
    expect(result.parameters['runCells']).toBe('1');
    expect(result.parameters['sampleTimeoutMs']).toBe(300);
    const raw = readRawSamples(join(out, readdirSync(out)[0] as string, 'cold-start__process__native__sleep.samples.ndjson'));
    expect(raw.samples.map((s) => [s.ok, s.error])).toEqual([[false, 'timed out after 300 ms (killed)'], [false, 'timed out after 300 ms (killed)']]);
    for (const s of raw.samples) {
      expect(s.values['wall']).toBeGreaterThanOrEqual(300e6);
      expect(s.values['wall']).toBeLessThan(5_000e6);
    }
    expect(r.stdout).toMatch(/invalid: all 2 measured samples failed; first failure: sample 0: timed out after 300 ms \(killed\)/);
    expect(livingProcesses().filter((c) => c.startsWith(SLEEP))).toEqual([]);
  });

  it('a sample within the timeout is measured as usual', async () => {
    const out = join(root, 'in-time');
    const r = await runCli(['run', 'cold-start', '--runtime', 'native', '--fixture', 'sleep', '--arg', '20', '--timeout', '5s', '--samples', '3', '--warmup', '0', '--out', out]);
    expect(r.code).toBe(0);
    const result = onlyResult(out, 'cold-start__process__native__sleep.json');
    expect(result.status).toBe('ok');
    expect(result.parameters['runCells']).toBe('1');
    expect(result.metrics.find((m) => m.name === 'wall')?.summary.min).toBeGreaterThanOrEqual(20e6);
  });

  for (const [how, env] of [['eb-launch', {}], ['the Node fallback (no eb-launch)', { EDGEBENCH_LAUNCHER: '/nonexistent/eb-launch' }]] as const) {
    it(`the first failure's exit code and last stderr line reach the reason and the summary (${how})`, async () => {
      const out = join(root, `reason-${Object.keys(env).length}`);
      const r = await runCli(['run', 'cold-start', '--runtime', 'native', '--fixture', '/bin/ls', '--arg', '/nonexistent-edgebench', '--samples', '3', '--warmup', '1', '--out', out], { env: { ...process.env, ...env } });
      expect(r.code).toBe(1);
      const result = onlyResult(out, 'cold-start__process__native__ls.json');
      expect(result.status).toBe('invalid');
      expect(result.reason).toMatch(/^all 3 measured samples failed; first failure: sample 0 \(warm-up\): exit code 2; stderr: .*ls: cannot access '\/nonexistent-edgebench': No such file or directory$/);
      expect(r.stdout).toContain("invalid: all 3 measured samples failed; first failure: sample 0 (warm-up): exit code 2; stderr: ");
      expect(r.stderr).toContain("cannot access '/nonexistent-edgebench'");
    });

    it(`the Node fallback and eb-launch both kill a hung sample at the timeout (${how})`, async () => {
      const out = join(root, `timeout-${Object.keys(env).length}`);
      const r = await runCli(['run', 'cold-start', '--runtime', 'native', '--fixture', 'sleep', '--arg', '60000', '--timeout', '0.2s', '--samples', '1', '--warmup', '0', '--out', out], { env: { ...process.env, ...env } });
      expect(r.code).toBe(1);
      expect(onlyResult(out, 'cold-start__process__native__sleep.json').reason).toBe('all 1 measured samples failed; first failure: sample 0: timed out after 200 ms (killed)');
    });
  }

  it('a signal that killed the sample is named (the trap fixture: SIGILL)', async () => {
    const out = join(root, 'trap');
    const r = await runCli(['run', 'cold-start', '--runtime', 'native', '--fixture', 'trap', '--samples', '2', '--warmup', '0', '--out', out]);
    expect(r.code).toBe(1);
    expect(onlyResult(out, 'cold-start__process__native__trap.json').reason).toBe('all 2 measured samples failed; first failure: sample 0: killed by signal 4');
  });
});
