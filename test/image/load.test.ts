import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveWorkload } from '../../src/fixtures/workload.js';
import { buildImage } from '../../src/image/build.js';
import { CONTAINERD_SOCK, ctrArgs, dockerEnv, loadIntoContainerd, loadIntoDocker } from '../../src/image/load.js';
import { repoPath } from '../../src/util/paths.js';
import { describeWith } from '../helpers/system.js';

const out = mkdtempSync(join(tmpdir(), 'eb-load-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const cli = repoPath('dist', 'src', 'cli', 'main.js');

/** null when `cmd args` exits 0. */
function answers(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string | null {
  const r = spawnSync(cmd, args, { stdio: 'ignore', env: env ?? process.env, timeout: 15_000 });
  return r.status === 0 ? null : `${cmd} ${args.join(' ')} fails (run scripts/oci-daemons.sh)`;
}

describeWith('image loads into docker', () => answers('docker', ['version'], dockerEnv()), () => {
  it('docker load accepts the tar and runs the native image', async () => {
    const img = buildImage({ workload: resolveWorkload('hello', 'native'), outDir: out });
    const ref = await loadIntoDocker(img);
    const outp = execFileSync('docker', ['run', '--rm', '--pull', 'never', '--network', 'none', ref], { env: dockerEnv(), encoding: 'utf8' });
    expect(outp).toContain('hello');
    const id = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { env: dockerEnv(), encoding: 'utf8' }).trim();
    expect(id).toBe(img.configDigest);
    execFileSync('docker', ['rmi', ref], { env: dockerEnv(), stdio: 'ignore' });
  });
});

describeWith('image loads into containerd', () => answers('ctr', ['-a', CONTAINERD_SOCK, 'version']), () => {
  it('ctr images import keeps name and digest for native and Wasm images', async () => {
    for (const kind of ['native', 'wasm'] as const) {
      const img = buildImage({ workload: resolveWorkload('noop', kind), outDir: out });
      const ref = await loadIntoContainerd(img);
      const ls = execFileSync('ctr', ctrArgs('images', 'ls'), { encoding: 'utf8' });
      const line = ls.split('\n').find((l) => l.startsWith(`${ref} `));
      expect(line, ls).toBeDefined();
      expect(line).toContain(img.digest);
      expect(line).toContain(kind === 'wasm' ? 'wasi/wasm' : `linux/${img.platform.architecture}`);
      execFileSync('ctr', ctrArgs('images', 'rm', ref), { stdio: 'ignore' });
    }
  });
});

describe('edgebench image build (CLI)', () => {
  const run = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [cli, 'image', ...args], { encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  it('builds and prints the digest; twice gives the same digest', () => {
    const d = mkdtempSync(join(out, 'cli-'));
    const a = run('build', 'noop', '--out', d, '--json');
    const b = run('build', 'noop', '--out', d, '--json');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout)[0].digest).toBe(JSON.parse(b.stdout)[0].digest);
  });
  it('bad input: one line, exit 2, nothing written', () => {
    const d = mkdtempSync(join(out, 'bad-'));
    const txt = join(d, 'x.txt');
    writeFileSync(txt, 'not a module');
    const outDir = join(d, 'o');
    for (const args of [['build', txt, '--out', outDir], ['build', 'nosuchfixture', '--out', outDir], ['build', 'noop', '--out', outDir, '--load', 'podman'], ['build', 'noop'], ['frob']]) {
      const r = run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/^edgebench: /);
    }
    expect(readdirSync(d)).toEqual(['x.txt']);
  });
});
