/**
 * The executor for real against a local root directory: fake artifacts served over loopback HTTP,
 * installed under a temp root with the same scripts a real box gets.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provision, teardown } from '../../src/provision/session.js';
import { UserError } from '../../src/util/errors.js';
import { sha256 } from '../../src/util/hash.js';
import { fakeArtifacts, prepareRoot, serve, snapshot, writeCatalogue } from './fakes.js';

let srv: Awaited<ReturnType<typeof serve>>;
let work: string;
const files = fakeArtifacts();

beforeAll(async () => {
  srv = await serve(files);
  work = mkdtempSync(join(tmpdir(), 'eb-prov-'));
});
afterAll(async () => {
  await srv.close();
  rmSync(work, { recursive: true, force: true });
});

function fresh(name: string, opts: { nvidia?: boolean } = {}): { root: string; cache: string; catalogue: string } {
  const root = join(work, name, 'root');
  const cache = join(work, name, 'cache');
  mkdirSync(root, { recursive: true });
  prepareRoot(root, opts);
  const catalogue = join(work, name, 'catalogue.yaml');
  writeCatalogue(catalogue, srv.base, files);
  return { root, cache, catalogue };
}

const quiet = { dryRun: false };

describe('provision executor (local root)', () => {
  it('installs everything, and a second run changes nothing', async () => {
    const t = fresh('idem');
    const first = await provision({ root: t.root, cacheDir: t.cache, catalogueFile: t.catalogue, profile: 'density-3000' }, quiet);
    const changed1 = first.outcomes!.filter((o) => o.status === 'changed').map((o) => o.id);
    expect(changed1).toContain('upload.k3s-binary');
    expect(changed1).toContain('k3s.install');
    expect(first.outcomes!.filter((o) => o.status === 'verified').map((o) => o.id)).toEqual(['verify.wasmedge-runtime', 'verify.wasmedge-cli']);
    // What a real box would hold:
    expect(readFileSync(join(t.root, 'etc/rancher/k3s/config.yaml'), 'utf8')).toMatch(/kubelet-arg:\n {2}- max-pods=3000\nkube-controller-manager-arg:\n {2}- node-cidr-mask-size=20\ncluster-cidr: 10.42.0.0\/16/);
    expect(existsSync(join(t.root, 'usr/local/bin/containerd-shim-wasmedge-v1'))).toBe(true);
    expect(existsSync(join(t.root, 'usr/local/lib/libwasmedge.so.0.1.0'))).toBe(true);
    expect(existsSync(join(t.root, 'usr/local/include/wasmedge/wasmedge.h'))).toBe(true);
    expect(readFileSync(join(t.root, 'var/lib/rancher/k3s/agent/etc/containerd/config.toml'), 'utf8')).toContain(`BinaryName = "${t.root}/usr/local/bin/containerd-shim-wasmedge-v1"`);
    expect(readFileSync(join(t.root, 'var/lib/rancher/k3s/fake/installs'), 'utf8')).toBe('v1.31.2+k3s1\n');
    const state = JSON.parse(readFileSync(join(t.root, 'var/lib/edgebench/provision/state.json'), 'utf8')) as { versions: unknown; profile: string };
    expect(state).toMatchObject({ profile: 'density-3000', versions: { k3s: 'v1.31.2+k3s1', wasmedge: '0.14.1', shim: '0.4.0' } });
    const hitsAfterFirst = [...srv.hits.values()].reduce((a, b) => a + b, 0);

    const before = snapshot(t.root);
    const second = await provision({ root: t.root, cacheDir: t.cache, catalogueFile: t.catalogue, profile: 'density-3000' }, quiet);
    expect(second.outcomes!.filter((o) => o.status === 'changed')).toEqual([]);
    expect(second.outcomes!.filter((o) => o.status === 'done-already').length).toBe(second.outcomes!.length - 2);
    expect(snapshot(t.root)).toEqual(before); // not one file written, touched or re-moded
    expect([...srv.hits.values()].reduce((a, b) => a + b, 0)).toBe(hitsAfterFirst); // nothing downloaded again
  });

  it('a changed config rewrites the config file and restarts K3s, nothing else', async () => {
    const t = fresh('reconf');
    await provision({ root: t.root, cacheDir: t.cache, catalogueFile: t.catalogue, profile: 'plain' }, quiet);
    const cfgFile = join(work, 'reconf', 'extra.yaml');
    writeFileSync(cfgFile, 'k3sExtra:\n  disable:\n    - traefik\n');
    const r = await provision({ root: t.root, cacheDir: t.cache, catalogueFile: t.catalogue, profile: 'plain', configFile: cfgFile }, quiet);
    expect(r.outcomes!.filter((o) => o.status === 'changed').map((o) => o.id)).toEqual(['k3s.config', 'k3s.restart', 'state']);
    expect(readFileSync(join(t.root, 'var/log/fake-systemctl.log'), 'utf8').trim().split('\n').filter((l) => l.startsWith('restart'))).toHaveLength(2);
  });

  it('a sha256 mismatch aborts before anything executes on the target', async () => {
    const t = fresh('mismatch');
    const wrong = 'f'.repeat(64);
    writeCatalogue(t.catalogue, srv.base, files, { '/k3s/k3s': wrong });
    const before = snapshot(t.root);
    const err = await provision({ root: t.root, cacheDir: t.cache, catalogueFile: t.catalogue }, quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(new RegExp(`^sha256 mismatch for K3s v1\\.31\\.2\\+k3s1 binary \\(linux/amd64\\) from http://127\\.0\\.0\\.1:\\d+/k3s/k3s: expected f{64}, got [0-9a-f]{64} — nothing was changed on the target$`));
    expect(snapshot(t.root)).toEqual(before); // the root holds exactly what it held before
    expect(existsSync(join(t.cache, wrong))).toBe(false); // the bad download is not cached
  });

  it('an unpinned artifact is refused before any download', async () => {
    const t = fresh('unpinned');
    writeCatalogue(t.catalogue, srv.base, files, { '/shim/containerd-shim-wasmedge-x86_64.tar.gz': null });
    const hits = srv.hits.get('/k3s/k3s') ?? 0;
    const err = await provision({ root: t.root, cacheDir: t.cache, catalogueFile: t.catalogue }, quiet).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^refusing to provision: containerd-shim-wasmedge 0\.4\.0 \(linux\/amd64\) has no pinned sha256 \(shim\.0\.4\.0\.amd64 in .*catalogue\.yaml\)/);
    expect(srv.hits.get('/k3s/k3s') ?? 0).toBe(hits);
    expect(existsSync(t.cache)).toBe(false);
  });

  it('gpu profile: plugin, nvidia runtime, node label; refused without the NVIDIA toolkit', async () => {
    const no = fresh('nogpu');
    await expect(provision({ root: no.root, cacheDir: no.cache, catalogueFile: no.catalogue, profile: 'gpu' }, quiet)).rejects.toThrow(/^gpu profile: NVIDIA container toolkit not found/);
    expect(existsSync(join(no.root, 'usr/local'))).toBe(false);

    const t = fresh('gpu', { nvidia: true });
    const r = await provision({ root: t.root, cacheDir: t.cache, catalogueFile: t.catalogue, profile: 'gpu' }, quiet);
    expect(readFileSync(join(t.root, 'usr/local/lib/wasmedge/libwasmedgePluginWasiNN.so'), 'utf8')).toBe('fake cuda plugin\n');
    expect(r.outcomes!.find((o) => o.id === 'verify.nvidia-runtime')?.status).toBe('verified');
    // node-label in config.yaml labels the node at registration, so the label step finds it done
    expect(r.outcomes!.find((o) => o.id === 'k3s.label.gpu')?.status).toBe('done-already');
  });

  it('preloads images with k3s ctr images import, once', async () => {
    const t = fresh('images');
    const img = join(work, 'images', 'noop.tar');
    writeFileSync(img, 'edgebench.local/noop:1\nfake image tar\n');
    const cfg = join(work, 'images', 'cfg.yaml');
    writeFileSync(cfg, `images:\n  - file: noop.tar\n    ref: edgebench.local/noop:1\n`);
    const run = () => provision({ root: t.root, cacheDir: t.cache, catalogueFile: t.catalogue, configFile: cfg }, quiet);
    const r1 = await run();
    expect(r1.outcomes!.filter((o) => o.id.includes('image.') && o.status === 'changed').length).toBe(3); // fetch, upload, import
    const r2 = await run();
    expect(r2.outcomes!.filter((o) => o.status === 'changed')).toEqual([]);
    expect(readFileSync(join(t.root, 'var/lib/rancher/k3s/fake/images'), 'utf8')).toBe('edgebench.local/noop:1\n');
  });

  it('optional crun built with WasmEdge: placed where K3s finds crun, checked for +WASM:wasmedge, removed by teardown', async () => {
    const t = fresh('crun');
    const crun = Buffer.from('#!/bin/sh\necho "crun version 1.15"\necho "+SYSTEMD +SELINUX +CAP +SECCOMP +WASM:wasmedge"\n');
    const extra = await serve({ '/crun': crun });
    try {
      const cfg = join(work, 'crun', 'cfg.yaml');
      writeFileSync(cfg, `crunWasmedge:\n  url: ${extra.base}/crun\n  sha256: "${sha256(crun)}"\n`);
      const r = await provision({ root: t.root, cacheDir: t.cache, catalogueFile: t.catalogue, configFile: cfg }, quiet);
      expect(r.outcomes!.find((o) => o.id === 'crun.verify')?.status).toBe('verified');
      expect(readFileSync(join(t.root, 'usr/local/bin/crun'))).toEqual(crun);
      await teardown({ root: t.root }, quiet);
      expect(existsSync(join(t.root, 'usr/local/bin/crun'))).toBe(false);
    } finally {
      await extra.close();
    }
  });

  it('teardown removes what provision installed, and a second teardown changes nothing', async () => {
    const t = fresh('teardown');
    const pristine = snapshot(t.root);
    await provision({ root: t.root, cacheDir: t.cache, catalogueFile: t.catalogue, profile: 'gpu' }, quiet).catch(() => undefined); // refused: no toolkit
    await provision({ root: t.root, cacheDir: t.cache, catalogueFile: t.catalogue }, quiet);
    const r1 = await teardown({ root: t.root }, quiet);
    // k3s-uninstall.sh already removes /etc/rancher/k3s, so the config step finds it gone
    expect(r1.outcomes!.map((o) => `${o.id}:${o.status}`)).toEqual(['k3s.uninstall:changed', 'files.remove:changed', 'k3s.config.remove:done-already', 'state.remove:changed']);
    const left = Object.keys(snapshot(t.root)).filter((p) => !(p in pristine));
    expect(left).toEqual(['var/log/fake-systemctl.log']); // only the fake init system's own log
    expect(existsSync(join(t.root, 'usr/local/lib/wasmedge'))).toBe(false);
    const r2 = await teardown({ root: t.root }, quiet);
    expect(r2.outcomes!.map((o) => o.status)).toEqual(['done-already', 'done-already', 'done-already', 'done-already']);
  });
});
