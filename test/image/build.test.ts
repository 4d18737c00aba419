import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveWorkload, workloadFromPath } from '../../src/fixtures/workload.js';
import { buildImage, checkName, fullName } from '../../src/image/build.js';
import { elfArchitecture, WASM_VARIANT, WASM_VARIANT_ANNOTATION } from '../../src/image/oci.js';
import { tarArchive } from '../../src/image/tar.js';
import { sha256 } from '../../src/util/hash.js';
import { UserError } from '../../src/util/errors.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'eb-image-test-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Reads a blob of a layout by digest and checks its content hashes to its name. */
function blob(layout: string, digest: string): Buffer {
  const data = readFileSync(join(layout, 'blobs', 'sha256', digest.replace('sha256:', '')));
  expect(`sha256:${sha256(data)}`).toBe(digest);
  return data;
}

describe('tar writer', () => {
  it('writes archives GNU tar lists with the fixed owner and mtime', () => {
    const d = tmp();
    const p = join(d, 'a.tar');
    writeFileSync(p, tarArchive([{ name: 'dir', type: 'dir', mode: 0o755 }, { name: 'dir/f', type: 'file', data: Buffer.from('hello'), mode: 0o644 }]));
    const listing = execFileSync('tar', ['-tvf', p, '--numeric-owner', '--full-time'], { encoding: 'utf8' });
    expect(listing).toMatch(/^drwxr-xr-x 0\/0\s+0 1970-01-01 00:00:00 dir\/$/m);
    expect(listing).toMatch(/^-rw-r--r-- 0\/0\s+5 1970-01-01 00:00:00 dir\/f$/m);
    expect(execFileSync('tar', ['-xOf', p, 'dir/f'], { encoding: 'utf8' })).toBe('hello');
  });
  it('rejects names ustar cannot hold', () => {
    expect(() => tarArchive([{ name: 'x'.repeat(300), type: 'file', mode: 0o644 }])).toThrow(/too long/);
  });
});

describe('buildImage', () => {
  it('is deterministic: same input, same digest and identical tar bytes', () => {
    const w = resolveWorkload('noop', 'wasm');
    const a = buildImage({ workload: w, outDir: tmp() });
    const b = buildImage({ workload: w, outDir: tmp() });
    expect(a.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.digest).toBe(a.digest);
    expect(sha256(readFileSync(b.tarPath))).toBe(sha256(readFileSync(a.tarPath)));
    expect(a.tag).toBe(a.digest.slice(7, 19));
  });

  it('writes a valid OCI layout for a Wasm module: platform wasi/wasm, compat-smart annotation, one layer', () => {
    const w = resolveWorkload('hello', 'wasm');
    const img = buildImage({ workload: w, outDir: tmp(), name: 'edgebench/test', tag: 't1' });
    expect(JSON.parse(readFileSync(join(img.layoutDir, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(readFileSync(join(img.layoutDir, 'index.json'), 'utf8'));
    expect(index.manifests).toHaveLength(1);
    const desc = index.manifests[0];
    expect(desc.digest).toBe(img.digest);
    expect(desc.platform).toEqual({ architecture: 'wasm', os: 'wasi' });
    expect(desc.annotations['io.containerd.image.name']).toBe('docker.io/edgebench/test:t1');
    expect(desc.annotations['org.opencontainers.image.ref.name']).toBe('t1');
    const manifest = JSON.parse(blob(img.layoutDir, img.digest).toString());
    expect(manifest.annotations[WASM_VARIANT_ANNOTATION]).toBe(WASM_VARIANT);
    expect(manifest.layers).toHaveLength(1);
    const config = JSON.parse(blob(img.layoutDir, manifest.config.digest).toString());
    expect(config.os).toBe('wasi');
    expect(config.architecture).toBe('wasm');
    expect(config.config.Entrypoint).toEqual(['/module.wasm']);
    // The layer holds exactly the module, byte for byte, and its diff_id is the uncompressed tar's digest.
    const layerGz = blob(img.layoutDir, manifest.layers[0].digest);
    const d = tmp();
    writeFileSync(join(d, 'layer.tar.gz'), layerGz);
    expect(layerGz[9]).toBe(0xff); // fixed OS byte
    expect(layerGz.readUInt32LE(4)).toBe(0); // fixed mtime
    execFileSync('tar', ['-xzf', join(d, 'layer.tar.gz'), '-C', d]);
    expect(sha256(readFileSync(join(d, 'module.wasm')))).toBe(w.sha256);
    expect(readdirSync(d).sort()).toEqual(['layer.tar.gz', 'module.wasm']);
    execFileSync('gzip', ['-d', join(d, 'layer.tar.gz')]);
    expect(`sha256:${sha256(readFileSync(join(d, 'layer.tar')))}`).toBe(config.rootfs.diff_ids[0]);
    expect(img.sizes.total).toBe(img.sizes.layer + img.sizes.config + img.sizes.manifest);
    expect(img.sizes.layer).toBe(manifest.layers[0].size);
  });

  it('tar holds the layout and Docker manifest.json pointing at the same blobs', () => {
    const img = buildImage({ workload: resolveWorkload('noop', 'native'), outDir: tmp() });
    const names = execFileSync('tar', ['-tf', img.tarPath], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toContain('oci-layout');
    expect(names).toContain('index.json');
    expect(names).toContain('manifest.json');
    const dm = JSON.parse(execFileSync('tar', ['-xOf', img.tarPath, 'manifest.json'], { encoding: 'utf8' }));
    expect(dm[0].RepoTags).toEqual([img.reference]);
    expect(names).toContain(dm[0].Config);
    expect(names).toContain(dm[0].Layers[0]);
    expect(img.platform.os).toBe('linux');
    expect(['amd64', 'arm64']).toContain(img.platform.architecture);
    expect(img.entrypoint).toEqual(['/noop']);
  });

  it('differs when the input differs', () => {
    const a = buildImage({ workload: resolveWorkload('noop', 'wasm'), outDir: tmp() });
    const b = buildImage({ workload: resolveWorkload('hello', 'wasm'), outDir: tmp() });
    expect(a.digest).not.toBe(b.digest);
  });

  it('refuses bad names and leaves nothing behind', () => {
    const out = tmp();
    const w = resolveWorkload('noop', 'wasm');
    expect(() => buildImage({ workload: w, outDir: out, name: 'Bad/Name' })).toThrow(UserError);
    expect(() => buildImage({ workload: w, outDir: out, tag: '-bad' })).toThrow(UserError);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a file that is neither Wasm nor ELF is a user error', () => {
    const d = tmp();
    const p = join(d, 'notes.txt');
    writeFileSync(p, 'hello');
    chmodSync(p, 0o755);
    expect(() => workloadFromPath(p)).toThrow(/neither a Wasm module/);
  });
});

describe('reference helpers', () => {
  it('qualifies names as containerd stores them', () => {
    expect(fullName('edgebench/noop-wasm')).toBe('docker.io/edgebench/noop-wasm');
    expect(fullName('busybox')).toBe('docker.io/library/busybox');
    expect(fullName('localhost:5000/a/b')).toBe('localhost:5000/a/b');
    expect(() => checkName('ok/name-1')).not.toThrow();
    expect(() => checkName('UPPER')).toThrow(UserError);
  });
  it('reads the ELF machine', () => {
    const elf = Buffer.alloc(20);
    elf[5] = 1;
    elf[18] = 0x3e;
    expect(elfArchitecture(elf)).toBe('amd64');
    elf[18] = 0xb7;
    expect(elfArchitecture(elf)).toBe('arm64');
    elf[18] = 0x99;
    expect(elfArchitecture(elf)).toBeNull();
  });
});
