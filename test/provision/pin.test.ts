/** `edgebench provision pin`: sha256s from published checksum files (or a confirmed own download) written into the catalogue. */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/provision/catalogue.js';
import { sha256 } from '../../src/util/hash.js';
import { repoPath } from '../../src/util/paths.js';
import { fakeArtifacts, serve, writeCatalogue } from './fakes.js';

const MAIN = repoPath('dist', 'src', 'cli', 'main.js');
let work: string;
let n = 0;
const a = fakeArtifacts();
const sha = (p: string): string => sha256(a[p]!);
const line = (p: string): string => `${sha(p)}  ${p.split('/').pop()}\n`;

// What the projects publish next to the assets: K3s sha256sum-<arch>.txt, WasmEdge SHA256SUM; the shim (runwasi
// releases before 2026) publishes none, and the K3s installer is not a release asset.
const files: Record<string, Buffer> = {
  ...a,
  '/k3s/sha256sum-amd64.txt': Buffer.from(line('/k3s/k3s') + `${'0'.repeat(64)}  k3s-airgap-images-amd64.tar\n` + line('/k3s/k3s-airgap-images-amd64.tar.zst')),
  '/wasmedge/SHA256SUM': Buffer.from(line('/wasmedge/WasmEdge-0.14.1.tar.gz') + line('/wasmedge/ggml.tar.gz') + line('/wasmedge/ggml-cuda.tar.gz')),
  // a release whose checksum file disagrees with its binary, and one that does not list the binary
  '/bad/k3s': a['/k3s/k3s']!,
  '/bad/sha256sum-amd64.txt': Buffer.from(`${'e'.repeat(64)}  k3s\n`),
  '/partial/k3s': a['/k3s/k3s']!,
  '/partial/sha256sum-amd64.txt': Buffer.from(line('/k3s/k3s-airgap-images-amd64.tar.zst')),
  // the shipped catalogue's GitHub layout, for --mirror (the server decodes %2B to +)
  '/k3s-io/k3s/releases/download/v1.31.2+k3s1/k3s': a['/k3s/k3s']!,
  '/k3s-io/k3s/releases/download/v1.31.2+k3s1/sha256sum-amd64.txt': Buffer.from(line('/k3s/k3s')),
};
let srv: Awaited<ReturnType<typeof serve>>;

/** A fresh catalogue for the fakes with nothing pinned. */
function unpinned(replace?: [RegExp, string]): string {
  const f = join(work, `catalogue-${++n}.yaml`);
  writeCatalogue(f, srv.base, a, Object.fromEntries(Object.keys(a).map((p) => [p, null])));
  if (replace) {
    writeFileSync(f, readFileSync(f, 'utf8').replace(replace[0], replace[1]));
  }
  return f;
}

async function cli(...args: string[]) {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} missing: build first (npx tsc -p tsconfig.json)`);
  return execa('node', [MAIN, 'provision', 'pin', ...args], { reject: false, stdin: 'ignore' });
}

const yamlOf = (f: string) => parseYaml(readFileSync(f, 'utf8'));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'eb-pin-'));
  srv = await serve(files);
});
afterAll(async () => {
  await srv.close();
  rmSync(work, { recursive: true, force: true });
});

describe('edgebench provision pin', () => {
  it('K3s: pins the binary and airgap images from sha256sum-amd64.txt after downloading them, and says where each came from', async () => {
    const cat = unpinned();
    const r = await cli('--component', 'k3s', '--version', 'v1.31.2+k3s1', '--part', 'binary,airgapImages', '--catalogue', cat);
    expect(r.exitCode, r.stderr).toBe(0);
    const k = yamlOf(cat).k3s['v1.31.2+k3s1'];
    expect(k.binary.amd64).toEqual({ url: `${srv.base}/k3s/k3s`, sha256: sha('/k3s/k3s'), source: `${srv.base}/k3s/sha256sum-amd64.txt (download matched)` });
    expect(k.airgapImages.amd64.sha256).toBe(sha('/k3s/k3s-airgap-images-amd64.tar.zst'));
    expect(k.airgapImages.amd64.source).toBe(`${srv.base}/k3s/sha256sum-amd64.txt (download matched)`);
    expect(k.installer.sha256).toBeNull(); // not selected
    expect(srv.hits.get('/k3s/k3s')).toBeGreaterThan(0); // the bytes were checked, not just the list
    expect(r.stdout).toContain(`k3s.v1.31.2+k3s1.binary.amd64  ${sha('/k3s/k3s')}  pinned — ${srv.base}/k3s/sha256sum-amd64.txt (download matched)`);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`wrote 2 sha256(s) to ${cat}`);
    expect(loadCatalogue(cat).k3s['v1.31.2+k3s1']!.binary.amd64!.source).toContain('sha256sum-amd64.txt');
    expect(readdirSync(work).filter((f) => f.includes('.tmp'))).toEqual([]);
    // a second run changes nothing
    const before = readFileSync(cat);
    const again = await cli('--component', 'k3s', '--version', 'v1.31.2+k3s1', '--part', 'binary', '--catalogue', cat);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing to change');
    expect(readFileSync(cat).equals(before)).toBe(true);
  });

  it('WasmEdge: runtime and both plugins from SHA256SUM', async () => {
    const cat = unpinned();
    const r = await cli('--component', 'wasmedge', '--version', '0.14.1', '--arch', 'amd64', '--catalogue', cat);
    expect(r.exitCode, r.stderr).toBe(0);
    const w = yamlOf(cat).wasmedge['0.14.1'];
    expect([w.runtime.amd64.sha256, w.wasiNnGgml.amd64.sha256, w.wasiNnGgmlCuda.amd64.sha256]).toEqual([sha('/wasmedge/WasmEdge-0.14.1.tar.gz'), sha('/wasmedge/ggml.tar.gz'), sha('/wasmedge/ggml-cuda.tar.gz')]);
    expect(w.runtime.amd64.source).toBe(`${srv.base}/wasmedge/SHA256SUM (download matched)`);
  });

  it('a download that does not match the checksum file is refused: exit 1, the catalogue byte-identical', async () => {
    const cat = unpinned([/\/k3s\/k3s\n/, '/bad/k3s\n']);
    const before = readFileSync(cat);
    const r = await cli('--component', 'k3s', '--version', 'v1.31.2+k3s1', '--part', 'airgapImages,binary', '--catalogue', cat);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`edgebench: provision pin: sha256 mismatch for k3s.v1.31.2+k3s1.binary.amd64: ${srv.base}/bad/k3s has ${sha('/k3s/k3s')}, ${srv.base}/bad/sha256sum-amd64.txt says ${'e'.repeat(64)}; nothing written`);
    expect(readFileSync(cat).equals(before)).toBe(true); // the airgap images matched, yet nothing of it was written
    expect(readdirSync(work).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a checksum file that does not list the asset is refused, naming it', async () => {
    const cat = unpinned([/\/k3s\/k3s\n/, '/partial/k3s\n']);
    const before = readFileSync(cat);
    const r = await cli('--component', 'k3s', '--version', 'v1.31.2+k3s1', '--part', 'binary', '--catalogue', cat);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`edgebench: provision pin: ${srv.base}/partial/sha256sum-amd64.txt does not list k3s (k3s.v1.31.2+k3s1.binary.amd64; it lists: k3s-airgap-images-amd64.tar.zst); nothing written`);
    expect(readFileSync(cat).equals(before)).toBe(true);
  });

  it('unknown version or component: exit 2, one line naming the known ones, nothing fetched', async () => {
    const cat = unpinned();
    const hits = [...srv.hits.values()].reduce((x, y) => x + y, 0);
    const r = await cli('--component', 'k3s', '--version', 'v9.9.9+k3s1', '--catalogue', cat);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe(`edgebench: provision pin: unknown k3s version "v9.9.9+k3s1" (catalogue ${cat} lists: v1.31.2+k3s1; add an entry with its URLs first)`);
    const c = await cli('--component', 'k8s', '--version', 'v1', '--catalogue', cat);
    expect(c.exitCode).toBe(2);
    expect(c.stderr.trim()).toBe('edgebench: --component: "k8s" is not one of k3s, wasmedge, shim');
    const p = await cli('--component', 'k3s', '--version', 'v1.31.2+k3s1', '--part', 'kernel', '--catalogue', cat);
    expect(p.exitCode).toBe(2);
    expect(p.stderr.trim()).toBe('edgebench: provision pin: k3s v1.31.2+k3s1 has no part "kernel" (it has: installer, binary, airgapImages)');
    expect([...srv.hits.values()].reduce((x, y) => x + y, 0)).toBe(hits);
  });

  it('no published checksum (the K3s installer, a shim release without SHA256SUMS): the sha256 is shown and written only with --yes', async () => {
    const cat = unpinned();
    const before = readFileSync(cat);
    const r = await cli('--component', 'shim', '--version', '0.4.0', '--catalogue', cat);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toContain(`shim.0.4.0.amd64  sha256 ${sha('/shim/containerd-shim-wasmedge-x86_64.tar.gz')}  (no published checksum: compare with a copy you trust)`);
    expect(r.stderr).toContain(`provision pin: shim.0.4.0.amd64: no checksum published (${srv.base}/shim/SHA256SUMS: HTTP 404); pinning your own download`);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('edgebench: provision pin: 1 artifact(s) have no published checksum (shim.0.4.0.amd64): check the sha256 shown above and rerun with --yes to pin them; nothing written');
    expect(readFileSync(cat).equals(before)).toBe(true);

    const y = await cli('--component', 'shim', '--version', '0.4.0', '--catalogue', cat, '--yes');
    expect(y.exitCode, y.stderr).toBe(0);
    expect(yamlOf(cat).shim['0.4.0'].amd64).toEqual({
      url: `${srv.base}/shim/containerd-shim-wasmedge-x86_64.tar.gz`,
      sha256: sha('/shim/containerd-shim-wasmedge-x86_64.tar.gz'),
      source: `user download of ${srv.base}/shim/containerd-shim-wasmedge-x86_64.tar.gz, sha256 shown and confirmed`,
    });

    const i = await cli('--component', 'k3s', '--version', 'v1.31.2+k3s1', '--part', 'installer', '--catalogue', cat, '--yes');
    expect(i.exitCode, i.stderr).toBe(0);
    expect(yamlOf(cat).k3s['v1.31.2+k3s1'].installer.sha256).toBe(sha('/k3s/install.sh'));
  });

  it('--mirror on the shipped catalogue: only the pinned line changes, comments and layout kept, the GitHub URL stays', async () => {
    const cat = join(work, 'shipped.yaml');
    copyFileSync(repoPath('provision', 'catalogue.yaml'), cat);
    const r = await cli('--component', 'k3s', '--version', 'v1.31.2+k3s1', '--part', 'binary', '--arch', 'amd64', '--catalogue', cat, '--mirror', srv.base);
    expect(r.exitCode, r.stderr).toBe(0);
    const was = readFileSync(repoPath('provision', 'catalogue.yaml'), 'utf8').split('\n');
    const now = readFileSync(cat, 'utf8').split('\n');
    expect(now).toHaveLength(was.length);
    const changed = now.flatMap((l, j) => (l === was[j] ? [] : [l]));
    expect(changed).toEqual([
      `      amd64: { url: "https://github.com/k3s-io/k3s/releases/download/v1.31.2%2Bk3s1/k3s", sha256: "${sha('/k3s/k3s')}", source: "https://github.com/k3s-io/k3s/releases/download/v1.31.2%2Bk3s1/sha256sum-amd64.txt (download matched)" }`,
    ]);
  });

  it('a pin already there that differs from the published checksum is not overwritten', async () => {
    const cat = unpinned();
    writeFileSync(cat, readFileSync(cat, 'utf8').replace(/(\/k3s\/k3s\n\s+sha256: )null/, `$1"${'c'.repeat(64)}"`));
    const before = readFileSync(cat);
    const r = await cli('--component', 'k3s', '--version', 'v1.31.2+k3s1', '--part', 'binary', '--catalogue', cat);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`edgebench: provision pin: k3s.v1.31.2+k3s1.binary.amd64 is already pinned to ${'c'.repeat(64)} in ${cat}, but the published checksum is ${sha('/k3s/k3s')}; nothing written (set it to null by hand to re-pin)`);
    expect(readFileSync(cat).equals(before)).toBe(true);
  });

  it('--no-download pins from the checksum file alone; --checksums names another checksum file', async () => {
    const cat = unpinned();
    const before = srv.hits.get('/k3s/k3s-airgap-images-amd64.tar.zst') ?? 0;
    const r = await cli('--component', 'k3s', '--version', 'v1.31.2+k3s1', '--part', 'airgapImages', '--no-download', '--catalogue', cat);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(yamlOf(cat).k3s['v1.31.2+k3s1'].airgapImages.amd64).toMatchObject({ sha256: sha('/k3s/k3s-airgap-images-amd64.tar.zst'), source: `${srv.base}/k3s/sha256sum-amd64.txt (not downloaded: bytes checked at provisioning)` });
    expect(srv.hits.get('/k3s/k3s-airgap-images-amd64.tar.zst') ?? 0).toBe(before);

    const sums = join(work, 'my-sums.txt');
    writeFileSync(sums, `${sha('/k3s/install.sh')}  install.sh\n`);
    const i = await cli('--component', 'k3s', '--version', 'v1.31.2+k3s1', '--part', 'installer', '--checksums', `file://${sums}`, '--catalogue', cat);
    expect(i.exitCode, i.stderr).toBe(0); // a checksum file, so no --yes needed
    expect(yamlOf(cat).k3s['v1.31.2+k3s1'].installer).toMatchObject({ sha256: sha('/k3s/install.sh'), source: `file://${sums} (download matched)` });
  });
});
