/** Provisioning configuration: profiles, the optional YAML config file, and the runtime matrix. */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError, errorMessage } from '../util/errors.js';
import type { Catalogue } from './catalogue.js';
import { checkVersions } from './catalogue.js';
import { PROFILES, type K3sSettings, type PreloadImage, type Profile, type ProvisionConfig, type VersionSet } from './types.js';

/** K3s settings each profile starts from. */
export function profileK3s(profile: Profile): K3sSettings {
  switch (profile) {
    case 'plain':
      return { maxPods: null, nodeCidrMaskSize: null, clusterCidr: null, nodeLabels: [], extra: {} };
    case 'density-3000':
      // kubelet maxPods defaults to 110 and K3s hands each node a /24 (254 pod IPs): 3000 pods need
      // max-pods=3000, a /20 per node (4094 IPs) and a cluster CIDR that holds /20s, all set before
      // the node registers (k3s issue #10442).
      return { maxPods: 3000, nodeCidrMaskSize: 20, clusterCidr: '10.42.0.0/16', nodeLabels: [], extra: {} };
    case 'gpu':
      return { maxPods: null, nodeCidrMaskSize: null, clusterCidr: null, nodeLabels: ['gpu=enabled'], extra: {} };
  }
}

/** The config a profile gives with the catalogue's default versions. */
export function defaultConfig(profile: Profile, cat: Catalogue): ProvisionConfig {
  return {
    profile,
    versions: { ...cat.defaults },
    root: '/',
    shimDir: '/usr/local/bin',
    wasmedgePrefix: '/usr/local',
    k3s: profileK3s(profile),
    wasiNn: profile === 'gpu',
    airgapImages: false,
    images: [],
    crunWasmedge: null,
    readyTimeoutS: 180,
  };
}

/** What a --config file may hold (all optional). */
export interface ConfigFile {
  profile?: Profile;
  host?: string;
  k3s?: string;
  wasmedge?: string;
  shim?: string;
  shimDir?: string;
  wasmedgePrefix?: string;
  maxPods?: number;
  nodeCidrMaskSize?: number;
  clusterCidr?: string;
  nodeLabels?: string[];
  k3sExtra?: Record<string, unknown>;
  wasiNn?: boolean;
  airgapImages?: boolean;
  images?: { file: string; ref?: string }[];
  crunWasmedge?: { url: string; sha256: string | null };
  readyTimeoutS?: number;
  /** The runtime matrix: version sets installed one after another for a comparison run. */
  matrix?: Partial<VersionSet>[];
}

const KEYS = new Set(['profile', 'host', 'k3s', 'wasmedge', 'shim', 'shimDir', 'wasmedgePrefix', 'maxPods', 'nodeCidrMaskSize', 'clusterCidr', 'nodeLabels', 'k3sExtra', 'wasiNn', 'airgapImages', 'images', 'crunWasmedge', 'readyTimeoutS', 'matrix']);

/** Reads a --config YAML file; unknown keys and wrong types are one-line UserErrors. */
export function readConfigFile(file: string): ConfigFile {
  if (!existsSync(file)) throw new UserError(`--config: ${file} does not exist`);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`--config: ${file} is not valid YAML: ${errorMessage(e).split('\n')[0]}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError(`--config: ${file} must be a YAML mapping`);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) throw new UserError(`--config: ${file}: unknown key "${k}" (known: ${[...KEYS].join(', ')})`);
  const str = (k: string): void => {
    if (o[k] !== undefined && typeof o[k] !== 'string') throw new UserError(`--config: ${file}: "${k}" must be a string`);
  };
  const int = (k: string, min: number, max: number): void => {
    const v = o[k];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < min || (v as number) > max)) throw new UserError(`--config: ${file}: "${k}" must be a whole number in ${min}..${max}`);
  };
  ['host', 'k3s', 'wasmedge', 'shim', 'shimDir', 'wasmedgePrefix', 'clusterCidr'].forEach(str);
  int('maxPods', 1, 100000);
  int('nodeCidrMaskSize', 8, 30);
  int('readyTimeoutS', 1, 3600);
  if (o['profile'] !== undefined && !(PROFILES as readonly unknown[]).includes(o['profile'])) throw new UserError(`--config: ${file}: profile "${String(o['profile'])}" is not one of ${PROFILES.join(', ')}`);
  if (o['clusterCidr'] !== undefined && !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(o['clusterCidr'] as string)) throw new UserError(`--config: ${file}: clusterCidr "${String(o['clusterCidr'])}" is not an IPv4 CIDR`);
  if (o['images'] !== undefined) {
    if (!Array.isArray(o['images']) || o['images'].some((i) => typeof i !== 'object' || i === null || typeof (i as { file?: unknown }).file !== 'string'))
      throw new UserError(`--config: ${file}: "images" must be a list of {file, ref?}`);
  }
  if (o['matrix'] !== undefined && (!Array.isArray(o['matrix']) || o['matrix'].length === 0)) throw new UserError(`--config: ${file}: "matrix" must be a non-empty list of {k3s?, wasmedge?, shim?}`);
  return o as ConfigFile;
}

/** Merges profile defaults, a config file and flags into one ProvisionConfig (versions checked against the catalogue). */
export function buildConfig(cat: Catalogue, opts: { profile?: Profile; file?: ConfigFile; fileDir?: string; root?: string; versions?: Partial<VersionSet> }): ProvisionConfig {
  const f = opts.file ?? {};
  const profile = opts.profile ?? f.profile ?? 'plain';
  const c = defaultConfig(profile, cat);
  c.versions = { k3s: opts.versions?.k3s ?? f.k3s ?? c.versions.k3s, wasmedge: opts.versions?.wasmedge ?? f.wasmedge ?? c.versions.wasmedge, shim: opts.versions?.shim ?? f.shim ?? c.versions.shim };
  checkVersions(cat, c.versions);
  if (f.shimDir) c.shimDir = f.shimDir;
  if (f.wasmedgePrefix) c.wasmedgePrefix = f.wasmedgePrefix;
  if (f.maxPods !== undefined) c.k3s.maxPods = f.maxPods;
  if (f.nodeCidrMaskSize !== undefined) c.k3s.nodeCidrMaskSize = f.nodeCidrMaskSize;
  if (f.clusterCidr !== undefined) c.k3s.clusterCidr = f.clusterCidr;
  if (f.nodeLabels) c.k3s.nodeLabels = [...new Set([...c.k3s.nodeLabels, ...f.nodeLabels])];
  if (f.k3sExtra) c.k3s.extra = f.k3sExtra;
  if (f.wasiNn !== undefined) c.wasiNn = f.wasiNn;
  if (f.airgapImages !== undefined) c.airgapImages = f.airgapImages;
  if (f.readyTimeoutS !== undefined) c.readyTimeoutS = f.readyTimeoutS;
  if (f.crunWasmedge) c.crunWasmedge = f.crunWasmedge;
  const base = opts.fileDir ?? process.cwd();
  c.images = (f.images ?? []).map((i): PreloadImage => ({ file: isAbsolute(i.file) ? i.file : resolve(base, i.file), ref: i.ref ?? null }));
  for (const i of c.images) if (!existsSync(i.file)) throw new UserError(`image to preload ${i.file} does not exist`);
  if (opts.root !== undefined) c.root = opts.root;
  if (!isAbsolute(c.root)) throw new UserError(`--root must be an absolute path (got "${c.root}")`);
  for (const [k, v] of [['shimDir', c.shimDir], ['wasmedgePrefix', c.wasmedgePrefix]] as const) {
    if (!isAbsolute(v)) throw new UserError(`${k} must be an absolute path (got "${v}")`);
  }
  if (c.k3s.maxPods !== null && c.k3s.maxPods > 254 && c.k3s.nodeCidrMaskSize === null)
    throw new UserError(`maxPods ${c.k3s.maxPods} needs nodeCidrMaskSize: K3s's default /24 per node holds only 254 pod IPs`);
  if (c.k3s.nodeCidrMaskSize !== null && c.k3s.maxPods !== null && 2 ** (32 - c.k3s.nodeCidrMaskSize) - 2 < c.k3s.maxPods)
    throw new UserError(`nodeCidrMaskSize /${c.k3s.nodeCidrMaskSize} holds ${2 ** (32 - c.k3s.nodeCidrMaskSize) - 2} pod IPs, fewer than maxPods ${c.k3s.maxPods}`);
  return c;
}

/** The matrix entries of a config file, each completed with the catalogue defaults and checked. */
export function matrixOf(cat: Catalogue, f: ConfigFile): VersionSet[] {
  if (!f.matrix) throw new UserError('the config file has no "matrix" list');
  return f.matrix.map((m, i) => {
    const v = { k3s: m.k3s ?? f.k3s ?? cat.defaults.k3s, wasmedge: m.wasmedge ?? f.wasmedge ?? cat.defaults.wasmedge, shim: m.shim ?? f.shim ?? cat.defaults.shim };
    checkVersions(cat, v, `matrix entry ${i + 1}`);
    return v;
  });
}
