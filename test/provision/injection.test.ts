/**
 * Shell injection: hostile values (spaces, ' and ", $(…), backticks, ;, newlines, a heredoc end
 * marker) in every field that reaches a target script — the root, the shim and WasmEdge
 * directories, catalogue URLs (their basenames), sha256s and versions, node labels, k3sExtra,
 * clusterCidr, maxPods, the profile, readyTimeoutS, image files and refs, crun's URL and sha256.
 * Each payload would `touch` a canary file if the shell ever executed it; the generated scripts
 * are run for real with bash in a scratch root, and the canary directory must stay empty.
 * Fields that must never hold such characters are refused instead, and those refusals are tested.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, type Catalogue } from '../../src/provision/catalogue.js';
import { buildConfig, defaultConfig } from '../../src/provision/config.js';
import { factsScript } from '../../src/provision/facts.js';
import { planProvision, planTeardown } from '../../src/provision/plan.js';
import { provision, teardown } from '../../src/provision/session.js';
import { LocalTransport } from '../../src/provision/transport.js';
import type { HostFacts, Plan, Profile, ProvisionConfig } from '../../src/provision/types.js';
import { UserError } from '../../src/util/errors.js';
import { sha256 } from '../../src/util/hash.js';
import { fakeArtifacts, prepareRoot, serve, writeCatalogue } from './fakes.js';

const BOX: HostFacts = { os: 'Linux', arch: 'x86_64', isRoot: true, sudo: false, cgroup: 'v2', initSystem: 'systemd', nvidiaCtk: false, nvidiaRuntime: null, k3sVersion: null, k3sConfigSha256: null, existingClusterCidr: null, existingNodeCidrMaskSize: null };

/** `touch$IFS$CANARY.<field>.<kind>`: no space, no slash (it must survive URL paths and file names). */
const touch = (field: string, kind: string): string => `touch$IFS$CANARY.${field}.${kind}`;

/** Payload kinds; each one, unquoted or wrongly quoted in its context, runs `touch`. */
const KINDS: Record<string, (field: string) => string> = {
  dollar: (f) => `a b$(${touch(f, 'dollar')})`,
  backtick: (f) => `a\`${touch(f, 'backtick')}\``,
  single: (f) => `a';${touch(f, 'single')};'`,
  double: (f) => `a";${touch(f, 'double')};"`,
  semicolon: (f) => `a;${touch(f, 'semicolon')}`,
  backslash: (f) => `a\\c\\n$(${touch(f, 'backslash')})`,
  newline: (f) => `a\n${touch(f, 'newline')}\n`,
  // ends a heredoc early, runs touch, then opens a new heredoc that the original end marker closes
  heredoc: (f) => `a\nEDGEBENCH_EOF\n${touch(f, 'heredoc')}\ntrue <<'EDGEBENCH_EOF'\n`,
};
/** Kinds a root cannot hold (refused, tested below): no end-to-end run under such a root. */
const NOT_IN_PATHS = new Set(['newline', 'heredoc', 'backslash']);

let work: string;
let canaryDir: string;
const env = (): NodeJS.ProcessEnv => ({ ...process.env, CANARY: join(canaryDir, 'c') });
const canaries = (): string[] => readdirSync(canaryDir).sort();

/** A fresh, empty canary directory for one test (CANARY is in process.env for the executor's own shells too). */
function freshCanary(dir: string): void {
  canaryDir = join(dir, 'canary');
  mkdirSync(canaryDir, { recursive: true });
  process.env['CANARY'] = join(canaryDir, 'c');
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'eb-inject-'));
});
afterAll(() => {
  delete process.env['CANARY'];
  rmSync(work, { recursive: true, force: true });
});

function bash(script: string, cwd: string): void {
  spawnSync('bash', ['-c', script], { cwd, env: env(), stdio: 'ignore', timeout: 30_000 });
}

describe('the payloads are live', () => {
  // Without this, a payload that never fires anywhere would make every test below pass vacuously.
  it('each payload runs its touch when interpolated naively', () => {
    freshCanary(join(work, 'live'));
    const contexts = (p: string) => [`echo ${p}`, `echo "${p}"`, `echo '${p}'`, `cat <<'EDGEBENCH_EOF'\n${p}\nEDGEBENCH_EOF`];
    for (const [kind, make] of Object.entries(KINDS)) {
      for (const c of contexts(make('probe'))) bash(c, work);
      expect(canaries(), kind).toContain(`c.probe.${kind}`);
    }
  });
});

/** A catalogue whose versions, URLs and sha256s are all hostile (built in code: the schema would refuse them). */
function hostileCatalogue(p: (field: string) => string, versions: { k3s: string; wasmedge: string; shim: string }): Catalogue {
  const art = (id: string) => ({ url: `http://127.0.0.1/${id}/${id}-${p('url')}.tar.gz`, sha256: p('sha') });
  return {
    file: '/catalogue.yaml',
    defaults: versions,
    k3s: { [versions.k3s]: { installer: art('installer'), binary: { amd64: art('k3s') }, airgapImages: { amd64: art('airgap') } } },
    wasmedge: { [versions.wasmedge]: { runtime: { amd64: art('wasmedge') }, wasiNnGgml: { amd64: art('ggml') }, wasiNnGgmlCuda: { amd64: art('ggml') } } },
    shim: { [versions.shim]: { amd64: art('shim') } },
  };
}

/** Tarballs that unpack but lack what the install steps look for, so their "not in <basename>" branches run. */
function junkTarball(dir: string, withTopDir: boolean): string {
  const src = join(dir, withTopDir ? 'src-top' : 'src-flat');
  const inner = withTopDir ? join(src, 'WasmEdge-x') : src;
  mkdirSync(inner, { recursive: true });
  writeFileSync(join(inner, 'README'), 'nothing useful\n');
  const out = `${src}.tgz`;
  spawnSync('tar', ['-czf', out, '-C', src, '.']);
  return out;
}

/** Runs every target script of a plan with bash: each check, each shell step's run, each upload (through LocalTransport). */
async function runPlan(plan: Plan, cwd: string): Promise<number> {
  const t = new LocalTransport();
  const flat = junkTarball(cwd, false);
  const top = junkTarball(cwd, true);
  let scripts = 0;
  for (const s of plan.steps) {
    if (s.kind === 'fetch') continue; // runs on the controller: no shell
    if (s.kind === 'upload') {
      await t.upload(s.id === 'upload.wasmedge' ? top : flat, s.dest!, s.mode!);
    }
    bash(`${plan.preamble}\n${s.check}\n`, cwd); // as the executor checks one step (set -e applies)
    bash(`${plan.preamble}\nif ( ${s.check}\n) >/dev/null 2>&1; then echo PASS; fi\n`, cwd); // as it batches checks (no set -e inside if)
    scripts++;
    if (s.kind === 'shell') {
      bash(`${plan.preamble}\n(\n${s.run}\n)\n`, cwd);
      scripts++;
    }
  }
  return scripts;
}

describe('hostile values in every field that reaches a target script', () => {
  for (const [kind, make] of Object.entries(KINDS)) {
    it(`${kind}: nothing executes (plan, teardown and probe scripts run with bash)`, async () => {
      const dir = join(work, `direct-${kind}`);
      mkdirSync(dir);
      freshCanary(dir);
      const p = (field: string): string => make(field);
      // Target paths cannot hold control characters or backslashes (refused, tested below): path fields get the payload without them.
      const path = (field: string): string => make(field).replace(/[\n\\]/g, ' ');
      const root = join(dir, path('root'));
      mkdirSync(root, { recursive: true });
      prepareRoot(root);
      const versions = { k3s: p('k3s-version'), wasmedge: p('wasmedge-version'), shim: p('shim-version') };
      const cat = hostileCatalogue(p, versions);
      const imgDir = join(dir, 'images');
      mkdirSync(imgDir);
      const img = join(imgDir, `${p('image-file')}.tar`);
      writeFileSync(img, 'edgebench.local/noop:1\n');
      const c: ProvisionConfig = {
        ...defaultConfig('plain', cat),
        profile: p('profile') as Profile,
        versions,
        root,
        shimDir: `/opt/${path('shimDir')}/bin`,
        wasmedgePrefix: `/opt/${path('wasmedgePrefix')}`,
        k3s: { maxPods: p('maxPods') as unknown as number, nodeCidrMaskSize: p('nodeCidrMaskSize') as unknown as number, clusterCidr: p('clusterCidr'), nodeLabels: [p('label')], extra: { [p('extra-key')]: p('extra-value'), nested: [p('extra-list')] } },
        wasiNn: true,
        airgapImages: true,
        images: [{ file: img, ref: p('image-ref') }],
        crunWasmedge: { url: `http://127.0.0.1/crun/${p('crun-url')}`, sha256: p('crun-sha') },
        readyTimeoutS: p('readyTimeoutS') as unknown as number,
      };
      const plan = planProvision(c, BOX, cat);
      // every kind of step is there
      for (const id of ['shim.install', 'wasmedge.install', 'wasi-nn-ggml.install', 'crun.verify', 'upload.k3s-airgap-images', 'k3s.config', 'k3s.install', 'k3s.restart', 'k3s.ready', 'verify.wasmedge-runtime', 'verify.wasmedge-cli', 'state'])
        expect(plan.steps.map((s) => s.id)).toContain(id);
      expect(plan.steps.some((s) => s.id.startsWith('k3s.label.'))).toBe(true);
      expect(plan.steps.some((s) => s.id.endsWith('.import'))).toBe(true);

      const n = await runPlan(plan, dir);
      expect(n).toBeGreaterThan(30);
      // the install steps got far enough to print their "not in <basename>" lines, and the config file was written
      expect(existsSync(join(root, 'etc/rancher/k3s/config.yaml'))).toBe(true);
      expect(readFileSync(join(root, 'etc/rancher/k3s/config.yaml'), 'utf8')).toContain(`# Written by edgebench provision (profile ${p('profile')})`);
      await runPlan(planTeardown(root), dir);
      bash(factsScript(root), dir);
      expect(canaries()).toEqual([]);
    });
  }
});

describe('fields that never hold such characters are refused, one line', () => {
  const cat = loadCatalogue();
  function refusal(fn: () => unknown): string {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as Error).message).not.toContain('\n');
      return (e as Error).message;
    }
    throw new Error('expected a refusal');
  }
  it('a newline (or any control character) or a backslash in --root, shimDir or wasmedgePrefix', () => {
    expect(refusal(() => buildConfig(cat, { root: '/tmp/a\\c$(touch /tmp/x)' }))).toBe('--root must not contain a backslash or control characters such as a newline (got "/tmp/a\\\\c$(touch /tmp/x)")');
    expect(refusal(() => buildConfig(cat, { root: '/tmp/a\ntouch /tmp/x' }))).toBe('--root must not contain a backslash or control characters such as a newline (got "/tmp/a\\ntouch /tmp/x")');
    expect(refusal(() => buildConfig(cat, { file: { shimDir: '/opt/a\tb' } }))).toBe('shimDir must not contain a backslash or control characters such as a newline (got "/opt/a\\tb")');
    expect(refusal(() => buildConfig(cat, { file: { wasmedgePrefix: '/opt/a\nb' } }))).toBe('wasmedgePrefix must not contain a backslash or control characters such as a newline (got "/opt/a\\nb")');
    // the planner and teardown refuse on their own too (not only through buildConfig)
    expect(refusal(() => planTeardown('/tmp/a\nb'))).toBe('--root must not contain a backslash or control characters such as a newline (got "/tmp/a\\nb")');
    expect(refusal(() => planProvision({ ...buildConfig(cat, {}), root: '/tmp/a\nb' }, BOX, cat))).toMatch(/^--root must not contain a backslash or control characters/);
  });
  it('a ":" in --root (it would put a relative directory on the target PATH)', () => {
    expect(refusal(() => buildConfig(cat, { root: '/tmp/a:b' }))).toBe('--root must not contain ":" (its bin directories go into the target\'s PATH; got "/tmp/a:b")');
  });
  it('a version not in the catalogue, however it is spelled (--k3s, --wasmedge, --shim, config, matrix)', () => {
    expect(refusal(() => buildConfig(cat, { versions: { k3s: '$(touch /tmp/x)' } }))).toBe(`requested: unknown K3s version "$(touch /tmp/x)" (catalogue ${cat.file} lists: v1.31.2+k3s1, v1.30.6+k3s1)`);
    expect(refusal(() => buildConfig(cat, { versions: { wasmedge: "0.14.1'; touch /tmp/x; '" } }))).toMatch(/^requested: unknown WasmEdge version "0\.14\.1'; touch \/tmp\/x; '"/);
    expect(refusal(() => buildConfig(cat, { versions: { shim: '0.4.0\ntouch /tmp/x' } }))).toMatch(/^requested: unknown WasmEdge shim version "0\.4\.0\\ntouch \/tmp\/x"/);
    // inherited object keys are not versions either (they used to pass the check and crash)
    expect(refusal(() => buildConfig(cat, { versions: { k3s: 'constructor' } }))).toMatch(/^requested: unknown K3s version "constructor"/);
    expect(refusal(() => buildConfig(cat, { versions: { shim: '__proto__' } }))).toMatch(/^requested: unknown WasmEdge shim version "__proto__"/);
  });
  it('node labels and image refs from a config file', () => {
    expect(refusal(() => buildConfig(cat, { file: { nodeLabels: ["zone=lab'; touch /tmp/x; '"] } }))).toBe(
      `--config: config: "nodeLabels[0]" must be a Kubernetes label key=value such as zone=lab (letters, digits, - _ . and a /-separated prefix) (got "zone=lab'; touch /tmp/x; '")`,
    );
    expect(refusal(() => buildConfig(cat, { file: { images: [{ file: '/dev/null', ref: '-f/etc/shadow' }] } }))).toBe('--config: config: "images[0].ref" must be an image reference such as edgebench.local/noop:1 (got "-f/etc/shadow")');
  });
  it('a catalogue with a hostile version or sha256 does not load (its schema)', () => {
    const f = join(work, 'hostile-catalogue.yaml');
    const text = readFileSync(join(import.meta.dirname, '../../provision/catalogue.yaml'), 'utf8');
    writeFileSync(f, text.replace(/^ {2}0\.6\.0:$/m, "  \"0.6.0'$(touch /tmp/x)\":"));
    expect(() => loadCatalogue(f)).toThrow(/is invalid: \/shim must match pattern "\^\[0-9\]\+/);
    writeFileSync(f, text.replace(/sha256: null \}/, "sha256: \"$(touch /tmp/x)\" }"));
    expect(() => loadCatalogue(f)).toThrow(/is invalid: .*sha256 must match pattern/);
  });
});

describe('end to end: provision and teardown for real under a hostile root', () => {
  let srv: Awaited<ReturnType<typeof serve>>;
  const files = fakeArtifacts();
  const crun = Buffer.from('#!/bin/sh\necho "crun version 1.15"\necho "+SYSTEMD +WASM:wasmedge"\n');
  beforeAll(async () => {
    srv = await serve({ ...files, '/crun': crun });
  });
  afterAll(async () => {
    await srv.close();
  });
  for (const [kind, make] of Object.entries(KINDS).filter(([k]) => !NOT_IN_PATHS.has(k))) {
    it(`${kind}: installs, verifies, re-runs as done, tears down; nothing executes`, async () => {
      const dir = join(work, `e2e-${kind}`);
      freshCanary(dir);
      const root = join(dir, make('root'));
      mkdirSync(root, { recursive: true });
      prepareRoot(root);
      const catalogue = join(dir, 'catalogue.yaml');
      writeCatalogue(catalogue, srv.base, files);
      const img = join(dir, `${make('image-file')}.tar`);
      writeFileSync(img, 'edgebench.local/noop:1\nfake image tar\n');
      const cfg = join(dir, 'cfg.yaml');
      writeFileSync(cfg, stringify({ images: [{ file: img, ref: 'edgebench.local/noop:1' }], crunWasmedge: { url: `${srv.base}/crun`, sha256: sha256(crun) }, nodeLabels: ['zone=lab'], wasiNn: true, readyTimeoutS: 5 }));
      const req = { root, cacheDir: join(dir, 'cache'), catalogueFile: catalogue, configFile: cfg, profile: 'density-3000' as const };
      const r1 = await provision(req, { dryRun: false });
      expect(r1.outcomes!.filter((o) => o.status === 'verified').map((o) => o.id)).toEqual(['crun.verify', 'verify.wasmedge-runtime', 'verify.wasmedge-cli']);
      expect(existsSync(join(root, 'usr/local/bin/containerd-shim-wasmedge-v1'))).toBe(true);
      expect(readFileSync(join(root, 'var/lib/rancher/k3s/fake/images'), 'utf8')).toBe('edgebench.local/noop:1\n');
      const r2 = await provision(req, { dryRun: false });
      expect(r2.outcomes!.filter((o) => o.status === 'changed')).toEqual([]);
      await teardown({ root }, { dryRun: false });
      expect(existsSync(join(root, 'usr/local/bin/k3s'))).toBe(false);
      expect(existsSync(join(root, 'usr/local/bin/crun'))).toBe(false);
      expect(existsSync(join(root, 'var/lib/edgebench/provision'))).toBe(false);
      expect(canaries()).toEqual([]);
    }, 60_000);
  }
});
