/** The planner is pure: plans for the three profiles match golden files; bad input is refused with one line. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/provision/catalogue.js';
import { buildConfig } from '../../src/provision/config.js';
import { parseFacts } from '../../src/provision/facts.js';
import { k3sConfigYaml, planProvision, planTeardown, preflight } from '../../src/provision/plan.js';
import { renderPlan } from '../../src/provision/render.js';
import type { HostFacts, Profile } from '../../src/provision/types.js';
import { UserError } from '../../src/util/errors.js';
import { repoPath } from '../../src/util/paths.js';
import { refusal } from '../helpers/refusal.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const cat = loadCatalogue();
// Golden files name the shipped catalogue by a stable path, not this checkout's absolute one.
const stableCat = { ...cat, file: 'provision/catalogue.yaml' };

/** An amd64 Debian edge box with systemd, root, cgroup v2, no K3s yet. */
export const BOX: HostFacts = {
  os: 'Linux',
  arch: 'x86_64',
  isRoot: true,
  sudo: false,
  cgroup: 'v2',
  initSystem: 'systemd',
  nvidiaCtk: false,
  nvidiaRuntime: null,
  k3sVersion: null,
  k3sConfigSha256: null,
  existingClusterCidr: null,
  existingNodeCidrMaskSize: null,
};
const GPU_BOX: HostFacts = { ...BOX, nvidiaCtk: true, nvidiaRuntime: '/usr/bin/nvidia-container-runtime' };

function golden(name: string, text: string): void {
  const f = join(GOLDEN, name);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(f, text);
  if (!existsSync(f)) throw new Error(`golden file ${f} missing: run with UPDATE_GOLDEN=1 and review it`);
  expect(text).toBe(readFileSync(f, 'utf8'));
}


describe('provision planner', () => {
  for (const [profile, facts] of [['plain', BOX], ['density-3000', BOX], ['gpu', GPU_BOX]] as [Profile, HostFacts][]) {
    it(`plan for profile ${profile} matches golden/${profile}.txt`, () => {
      const plan = planProvision(buildConfig(cat, { profile }), facts, stableCat);
      golden(`${profile}.txt`, renderPlan(plan));
      // the shipped catalogue has no verified checksums: every artifact is listed as unpinned
      expect(plan.unpinned.length).toBe(plan.steps.filter((s) => s.kind === 'fetch').length);
      // all fetches come before the first step that touches the target
      const firstTarget = plan.steps.findIndex((s) => s.kind !== 'fetch');
      expect(plan.steps.slice(firstTarget).some((s) => s.kind === 'fetch')).toBe(false);
    });
  }

  it('teardown plan matches golden/teardown.txt', () => {
    golden('teardown.txt', renderPlan(planTeardown('/')));
  });

  it('same inputs, same plan (pure)', () => {
    const c = buildConfig(cat, { profile: 'density-3000' });
    expect(renderPlan(planProvision(c, BOX, cat))).toBe(renderPlan(planProvision(c, BOX, cat)));
  });

  it('density-3000 config: max-pods, a /20 per node, a cluster CIDR that holds it, SQLite', () => {
    const y = k3sConfigYaml(buildConfig(cat, { profile: 'density-3000' }));
    expect(y).toContain('kubelet-arg:\n  - max-pods=3000\n');
    expect(y).toContain('kube-controller-manager-arg:\n  - node-cidr-mask-size=20\n');
    expect(y).toContain('cluster-cidr: 10.42.0.0/16\n');
    expect(y).not.toMatch(/datastore-endpoint:|cluster-init:/);
  });

  it('gpu config labels the node gpu=enabled and installs the CUDA ggml plugin', () => {
    const plan = planProvision(buildConfig(cat, { profile: 'gpu' }), GPU_BOX, cat);
    expect(k3sConfigYaml(buildConfig(cat, { profile: 'gpu' }))).toContain('node-label:\n  - gpu=enabled\n');
    expect(plan.steps.find((s) => s.id === 'fetch.wasi-nn-ggml')?.artifact?.url).toMatch(/WasmEdge-plugin-wasi_nn-ggml-cuda-0\.14\.1-ubuntu20\.04_x86_64\.tar\.gz$/);
  });
});

describe('bad input is refused before any change, in one line', () => {
  const plain = buildConfig(cat, { profile: 'plain' });
  it('unknown versions', () => {
    expect(refusal(() => buildConfig(cat, { versions: { k3s: 'v1.99.0+k3s1' } }))).toBe(`requested: unknown K3s version "v1.99.0+k3s1" (catalogue ${cat.file} lists: v1.31.2+k3s1, v1.30.6+k3s1)`);
    expect(refusal(() => buildConfig(cat, { versions: { wasmedge: '0.9.0' } }))).toMatch(/^requested: unknown WasmEdge version "0\.9\.0"/);
  });
  it('not Linux', () => {
    expect(refusal(() => preflight(plain, { ...BOX, os: 'Darwin' }))).toBe('host runs Darwin, not Linux: K3s runs only on Linux');
  });
  it('no cgroups', () => {
    expect(refusal(() => preflight(plain, { ...BOX, cgroup: 'none' }))).toMatch(/^host has no cgroup hierarchy/);
  });
  it('not root and no sudo', () => {
    expect(refusal(() => preflight(plain, { ...BOX, isRoot: false, sudo: false }))).toMatch(/^provisioning needs root on the host/);
    expect(preflight(plain, { ...BOX, isRoot: false, sudo: true })).toBe('amd64');
  });
  it('unsupported architecture, no init system', () => {
    expect(refusal(() => preflight(plain, { ...BOX, arch: 'riscv64' }))).toMatch(/^host architecture riscv64 is not in the catalogue/);
    expect(refusal(() => preflight(plain, { ...BOX, initSystem: 'none' }))).toMatch(/^host has neither systemd nor openrc/);
  });
  it('density settings on a node that already registered with other CIDRs', () => {
    const dense = buildConfig(cat, { profile: 'density-3000' });
    expect(refusal(() => preflight(dense, { ...BOX, k3sVersion: 'k3s version v1.31.2+k3s1' }))).toBe(
      'K3s is already installed with cluster-cidr 10.42.0.0/16 and node-cidr-mask-size 24; 10.42.0.0/16 /20 only applies to a node that registers fresh: run `edgebench teardown` first',
    );
    expect(preflight(dense, { ...BOX, k3sVersion: 'k3s version v1.31.2+k3s1', existingNodeCidrMaskSize: 20, existingClusterCidr: '10.42.0.0/16' })).toBe('amd64');
  });
  it('inconsistent density settings', () => {
    expect(refusal(() => buildConfig(cat, { file: { maxPods: 3000 } }))).toMatch(/^maxPods 3000 needs nodeCidrMaskSize/);
    expect(refusal(() => buildConfig(cat, { file: { maxPods: 3000, nodeCidrMaskSize: 24 } }))).toBe('nodeCidrMaskSize /24 holds 254 pod IPs, fewer than maxPods 3000');
  });
  it('the shipped catalogue validates against its schema', () => {
    expect(cat.defaults).toEqual({ k3s: 'v1.31.2+k3s1', wasmedge: '0.14.1', shim: '0.4.0' });
    expect(existsSync(repoPath('schemas', 'provision-catalogue.schema.json'))).toBe(true);
  });
});

describe('host facts parsing', () => {
  it('parses the probe output', () => {
    const f = parseFacts('os=Linux\narch=aarch64\nuid=1000\nsudo=1\ncgroup=v2\ninit=systemd\nnvidia_ctk=1\nnvidia_runtime=/usr/bin/nvidia-container-runtime\nk3s=k3s version v1.30.6+k3s1 (abc)\ncfg_sha=ab\ncluster_cidr=10.42.0.0/16\nmask=20\n');
    expect(f).toEqual({ os: 'Linux', arch: 'aarch64', isRoot: false, sudo: true, cgroup: 'v2', initSystem: 'systemd', nvidiaCtk: true, nvidiaRuntime: '/usr/bin/nvidia-container-runtime', k3sVersion: 'k3s version v1.30.6+k3s1 (abc)', k3sConfigSha256: 'ab', existingClusterCidr: '10.42.0.0/16', existingNodeCidrMaskSize: 20 });
  });
});
