/**
 * --config files are validated against schemas/provision-config.schema.json: a malformed entry is one
 * line naming the field. crunWasmedge without a sha256 is "not pinned", exactly like sha256: null
 * (it used to slip past the unpinned check as undefined and crash the executor with a TypeError).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../src/provision/config.js';
import { provision } from '../../src/provision/session.js';
import { UserError } from '../../src/util/errors.js';
import { fakeArtifacts, prepareRoot, writeCatalogue } from './fakes.js';
import { refusal } from '../helpers/refusal.js';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'eb-prov-config-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function cfgFile(name: string, yaml: string): string {
  const f = join(work, `${name}.yaml`);
  writeFileSync(f, yaml);
  return f;
}


const CRUN_URL = 'https://mirror.example/crun-1.15-wasmedge';

describe('crunWasmedge without a checksum', () => {
  /** A real run against a root, with a catalogue where everything else is pinned: the refusal line. */
  async function realRun(name: string, crunYaml: string): Promise<{ message: string; root: string; cache: string }> {
    const dir = join(work, name);
    const root = join(dir, 'root');
    mkdirSync(root, { recursive: true });
    prepareRoot(root);
    const catalogue = join(dir, 'catalogue.yaml');
    writeCatalogue(catalogue, 'http://127.0.0.1:9', fakeArtifacts()); // every artifact pinned; nothing is downloaded before the refusal
    const cfg = cfgFile(name, `crunWasmedge:\n  url: ${CRUN_URL}\n${crunYaml}`);
    const cache = join(dir, 'cache');
    const err = await provision({ root, cacheDir: cache, catalogueFile: catalogue, configFile: cfg }, { dryRun: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    return { message: (err as Error).message, root, cache };
  }

  it('missing sha256 is refused with the same message as sha256: null, before any change', async () => {
    const missing = await realRun('crun-missing', '');
    const nul = await realRun('crun-null', '  sha256: null\n');
    const expected = (f: string) =>
      `refusing to provision: crun built with WasmEdge has no pinned sha256 (crunWasmedge.sha256 in ${f}) — download ${CRUN_URL} on a trusted machine, check it against the project's published checksum, and write its sha256 there`;
    expect(missing.message).toBe(expected(join(work, 'crun-missing.yaml')));
    expect(nul.message).toBe(expected(join(work, 'crun-null.yaml')));
    for (const r of [missing, nul]) {
      expect(readdirSync(r.root)).toEqual(['usr']); // only the fake systemctl prepareRoot put there
      expect(existsSync(r.cache)).toBe(false); // nothing downloaded either
    }
  });

  it('the dry-run plan lists it as not pinned, naming the config file', async () => {
    const dir = join(work, 'crun-dry');
    const root = join(dir, 'root');
    mkdirSync(root, { recursive: true });
    prepareRoot(root);
    const catalogue = join(dir, 'catalogue.yaml');
    writeCatalogue(catalogue, 'http://127.0.0.1:9', fakeArtifacts());
    const cfg = cfgFile('crun-dry', `crunWasmedge:\n  url: ${CRUN_URL}\n`);
    let text = '';
    const r = await provision({ root, catalogueFile: catalogue, configFile: cfg }, { dryRun: true, out: (s) => (text += s) });
    expect(r.plan.unpinned.map((a) => a.pinPath)).toEqual(['crunWasmedge.sha256']);
    expect(text).toContain(`note: a real run refuses: 1 artifact(s) without a pinned sha256 in ${catalogue}: crunWasmedge.sha256 (in ${cfg})`);
    expect(text).toContain('sha256: NOT PINNED (set crunWasmedge.sha256)');
  });
});

describe('--config validation: one line naming the field', () => {
  const msg = (name: string, yaml: string): string => {
    const f = cfgFile(name, yaml);
    return refusal(() => readConfigFile(f)).replace(`--config: ${f}: `, '');
  };
  const SHA_RULE = 'must be 64 lower-case hex digits, or null (not pinned yet: a real run refuses)';

  it('crunWasmedge.sha256 of the wrong type or form', () => {
    expect(msg('sha-int', `crunWasmedge:\n  url: ${CRUN_URL}\n  sha256: 123\n`)).toBe(`"crunWasmedge.sha256" ${SHA_RULE} (got 123)`);
    expect(msg('sha-list', `crunWasmedge:\n  url: ${CRUN_URL}\n  sha256: [a]\n`)).toBe(`"crunWasmedge.sha256" ${SHA_RULE} (got ["a"])`);
    expect(msg('sha-short', `crunWasmedge:\n  url: ${CRUN_URL}\n  sha256: abc\n`)).toBe(`"crunWasmedge.sha256" ${SHA_RULE} (got "abc")`);
    expect(msg('sha-upper', `crunWasmedge:\n  url: ${CRUN_URL}\n  sha256: "${'A'.repeat(64)}"\n`)).toBe(`"crunWasmedge.sha256" ${SHA_RULE} (got "${'A'.repeat(64)}")`);
  });

  it('unknown keys, top level and nested', () => {
    expect(msg('unknown-nested', `crunWasmedge:\n  url: ${CRUN_URL}\n  sha: null\n`)).toBe('unknown key "crunWasmedge.sha" (known: url, sha256)');
    expect(msg('unknown-top', 'hots: root@edge1\n')).toBe(
      'unknown key "hots" (known: profile, host, k3s, wasmedge, shim, shimDir, wasmedgePrefix, maxPods, nodeCidrMaskSize, clusterCidr, nodeLabels, k3sExtra, wasiNn, airgapImages, images, crunWasmedge, readyTimeoutS, matrix)',
    );
    expect(msg('unknown-matrix', 'matrix:\n  - { k3s: v1.31.2+k3s1, wasmEdge: 0.14.1 }\n')).toBe('unknown key "matrix[0].wasmEdge" (known: k3s, wasmedge, shim)');
  });

  it('missing required fields and other wrong types', () => {
    expect(msg('no-url', 'crunWasmedge:\n  sha256: null\n')).toBe('"crunWasmedge.url" is missing');
    expect(msg('crun-string', `crunWasmedge: ${CRUN_URL}\n`)).toBe(`"crunWasmedge" must be a mapping {url, sha256} (got "${CRUN_URL}")`);
    expect(msg('bad-url', 'crunWasmedge:\n  url: ftp://x/crun\n')).toBe('"crunWasmedge.url" must be an http(s):// or file:// URL (got "ftp://x/crun")');
    expect(msg('image-no-file', 'images:\n  - { ref: edgebench.local/noop:1 }\n')).toBe('"images[0].file" is missing');
    expect(msg('max-pods', 'maxPods: lots\n')).toBe('"maxPods" must be a whole number in 1..100000 (got "lots")');
    expect(msg('max-pods-big', 'maxPods: 100001\n')).toBe('"maxPods" must be a whole number in 1..100000 (got 100001)');
    expect(msg('profile', 'profile: huge\n')).toBe('"profile" must be one of plain, density-3000, gpu (got "huge")');
    expect(msg('cidr', 'clusterCidr: 10.42.0.0\n')).toBe('"clusterCidr" must be an IPv4 CIDR such as 10.42.0.0/16 (got "10.42.0.0")');
    expect(msg('matrix-empty', 'matrix: []\n')).toBe('"matrix" must be a non-empty list of {k3s?, wasmedge?, shim?} (got [])');
    expect(msg('wasinn', 'wasiNn: "yes"\n')).toBe('"wasiNn" must be true or false (got "yes")');
    expect(refusal(() => readConfigFile(cfgFile('list', '- a\n')))).toBe(`--config: ${join(work, 'list.yaml')} must be a YAML mapping`);
  });

  it('a valid file passes unchanged', () => {
    const f = cfgFile('ok', `profile: density-3000\nnodeLabels: [zone=lab, example.com/tier=edge]\nk3sExtra:\n  disable: [traefik]\ncrunWasmedge:\n  url: ${CRUN_URL}\n  sha256: "${'a'.repeat(64)}"\nimages:\n  - { file: x.tar, ref: edgebench.local/noop:1 }\nmatrix:\n  - { k3s: v1.30.6+k3s1 }\n`);
    expect(readConfigFile(f)).toMatchObject({ profile: 'density-3000', crunWasmedge: { sha256: 'a'.repeat(64) }, matrix: [{ k3s: 'v1.30.6+k3s1' }] });
  });
});
