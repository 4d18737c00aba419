import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { repoPath } from '../../src/util/paths.js';

// scripts/build-runtimes.sh against temp vendor dirs and temp caches: every case here fails (or finds a build
// present) before anything is unpacked or compiled, so nothing real is built.
const SCRIPT = repoPath('scripts', 'build-runtimes.sh');
const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const temps: string[] = [];
const tempDir = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

const run = async (args: string[], env: { vendor: string; cache: string }) => {
  const r = await execa('bash', [SCRIPT, ...args], {
    reject: false,
    env: { EDGEBENCH_VENDOR_DIR: env.vendor, EDGEBENCH_RUNTIME_CACHE: env.cache },
  });
  const stderrLines = r.stderr.split('\n').filter((l) => l !== '');
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr, stderrLines };
};

/** A vendor dir whose SHA256SUMS lists stand-in tarballs for wasmedge-0.14.1-* (main + fmt + spdlog). */
function fakeVendor(): { dir: string; files: Record<string, Buffer> } {
  const dir = tempDir('eb-vendor-');
  const files: Record<string, Buffer> = {
    'WasmEdge-0.14.1.tar.gz': Buffer.from('stand-in for the WasmEdge 0.14.1 source tarball\n'.repeat(64)),
    'fmt-11.0.2.tar.gz': Buffer.from('stand-in for fmt 11.0.2\n'),
    'spdlog-1.13.0.tar.gz': Buffer.from('stand-in for spdlog 1.13.0\n'),
  };
  const sums = Object.entries(files).map(([name, data]) => `${sha256(data)}  ${name}\n`).join('');
  writeFileSync(join(dir, 'SHA256SUMS'), sums);
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  return { dir, files };
}

/** Nothing unpacked: the cache is absent or empty (no <name>.build / <name>.tmp / <name>). */
const cacheUntouched = (cache: string): boolean => !existsSync(cache) || readdirSync(cache).length === 0;

describe('scripts/build-runtimes.sh', () => {
  it('a truncated tarball: exit 2, one stderr line naming it with expected and actual sha256, nothing unpacked', async () => {
    const { dir, files } = fakeVendor();
    const main = files['WasmEdge-0.14.1.tar.gz']!;
    const truncated = main.subarray(0, 100);
    writeFileSync(join(dir, 'WasmEdge-0.14.1.tar.gz'), truncated);
    const cache = join(tempDir('eb-cache-'), 'runtimes');
    const r = await run(['build', 'wasmedge-0.14.1-interp'], { vendor: dir, cache });
    expect(r.code).toBe(2);
    expect(r.stderrLines).toHaveLength(1);
    expect(r.stderrLines[0]).toContain(join(dir, 'WasmEdge-0.14.1.tar.gz'));
    expect(r.stderrLines[0]).toContain(sha256(main));
    expect(r.stderrLines[0]).toContain(sha256(truncated));
    expect(cacheUntouched(cache)).toBe(true);
  });

  it('a dependency tarball that is missing: exit 2, one stderr line naming it, nothing unpacked', async () => {
    const { dir, files } = fakeVendor();
    rmSync(join(dir, 'spdlog-1.13.0.tar.gz'));
    const cache = join(tempDir('eb-cache-'), 'runtimes');
    const r = await run(['build', 'wasmedge-0.14.1-interp'], { vendor: dir, cache });
    expect(r.code).toBe(2);
    expect(r.stderrLines).toHaveLength(1);
    expect(r.stderrLines[0]).toContain(join(dir, 'spdlog-1.13.0.tar.gz'));
    expect(r.stderrLines[0]).toContain('missing');
    expect(r.stderrLines[0]).toContain(sha256(files['spdlog-1.13.0.tar.gz']!));
    expect(cacheUntouched(cache)).toBe(true);
  });

  it('a group is checked as a whole before any build starts (wamr tarballs not in SHA256SUMS)', async () => {
    const { dir } = fakeVendor();
    const cache = join(tempDir('eb-cache-'), 'runtimes');
    const r = await run(['build', 'wasmedge-0.14.1-interp', 'wamr-2.4.5'], { vendor: dir, cache });
    expect(r.code).toBe(2);
    expect(r.stderrLines).toHaveLength(1);
    expect(r.stderrLines[0]).toContain('wasm-micro-runtime-WAMR-2.4.5.tar.gz');
    expect(cacheUntouched(cache)).toBe(true);
  });

  it('an unknown build name: exit 2, one stderr line naming it', async () => {
    const { dir } = fakeVendor();
    const cache = join(tempDir('eb-cache-'), 'runtimes');
    for (const cmd of ['build', 'status']) {
      const r = await run([cmd, 'wasmedge-0.14.1-interp', 'wasmedge-9.9-turbo'], { vendor: dir, cache });
      expect(r.code).toBe(2);
      expect(r.stderrLines).toHaveLength(1);
      expect(r.stderrLines[0]).toContain('unknown build: wasmedge-9.9-turbo');
    }
    expect(cacheUntouched(cache)).toBe(true);
  });

  it('status, path and build see a recorded build as present; a leftover .tmp of a killed build is absent', async () => {
    const cache = tempDir('eb-cache-');
    const emptyVendor = tempDir('eb-vendor-empty-');
    const fakeBuild = (dirName: string, name: string, bin: string) => {
      const prefix = join(cache, dirName);
      mkdirSync(join(prefix, 'bin'), { recursive: true });
      writeFileSync(join(prefix, bin), '#!/bin/sh\necho fake\n');
      chmodSync(join(prefix, bin), 0o755);
      const record = {
        schemaVersion: 1, name, runtime: 'iwasm', version: '2.4.5', variant: 'fast-interp', reportedVersion: '2.4.5',
        compiler: { cc: 'cc (Debian 12.2.0-14+deb12u1) 12.2.0' }, llvmVersion: null, buildSeconds: 12.5,
        builtAt: '2026-01-02T03:04:05Z', binary: bin,
      };
      writeFileSync(join(prefix, 'build.json'), JSON.stringify(record, null, 2));
      return prefix;
    };
    const prefix = fakeBuild('wamr-2.4.5', 'wamr-2.4.5', 'bin/iwasm');
    fakeBuild('wasmedge-0.14.1-llvm.tmp', 'wasmedge-0.14.1-llvm', 'bin/wasmedge');
    const env = { vendor: emptyVendor, cache };

    const one = await run(['status', 'wamr-2.4.5'], env);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^present\s+wamr-2\.4\.5\s.*2\.4\.5 fast-interp.*2026-01-02T03:04:05Z.*12\.5 s/);
    expect(one.stdout).toContain(prefix);

    const both = await run(['status', 'wamr-2.4.5', 'wasmedge-0.14.1-llvm'], env);
    expect(both.code).toBe(1);
    expect(both.stdout.split('\n')).toContainEqual('absent   wasmedge-0.14.1-llvm');

    const path = await run(['path', 'wamr-2.4.5'], env);
    expect(path.code).toBe(0);
    expect(path.stdout).toBe(prefix);
    expect((await run(['path', 'wasmedge-0.14.1-llvm'], env)).code).toBe(1);

    // Present: not rebuilt, and the (empty) vendor dir is never consulted.
    const again = await run(['build', 'wamr-2.4.5'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`present: wamr-2.4.5 → ${prefix}`);
    expect(readdirSync(cache).filter((n) => n.endsWith('.build'))).toEqual([]);
  });
});
