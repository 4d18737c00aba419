/** Provisioning configuration: profiles, the optional YAML config file, and the runtime matrix. */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { compileSchema } from '../result/validate.js';
import { UserError, errorMessage } from '../util/errors.js';
import { repoPath } from '../util/paths.js';
import type { Catalogue } from './catalogue.js';
import { checkVersions } from './catalogue.js';
import { checkTargetPath } from './sh.js';
import { type K3sSettings, type PreloadImage, type Profile, type ProvisionConfig, type VersionSet } from './types.js';

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
  /** sha256 absent or null: not pinned (a real run refuses). */
  crunWasmedge?: { url: string; sha256?: string | null };
  readyTimeoutS?: number;
  /** The runtime matrix: version sets installed one after another for a comparison run. */
  matrix?: Partial<VersionSet>[];
}

const SCHEMA_FILE = 'provision-config.schema.json';
let validator: ValidateFunction | undefined;
let schemaJson: Record<string, unknown> | undefined;

/** The schema node at a JSON pointer such as "#/properties/crunWasmedge/properties/sha256". */
function schemaAt(pointer: string): Record<string, unknown> | undefined {
  schemaJson ??= JSON.parse(readFileSync(repoPath('schemas', SCHEMA_FILE), 'utf8')) as Record<string, unknown>;
  let node: unknown = schemaJson;
  for (const part of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node as Record<string, unknown> | undefined;
}

/** "/images/0/ref" → "images[0].ref" (the field as a config file names it). */
function fieldName(instancePath: string, extra?: string): string {
  const parts = [...instancePath.split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')), ...(extra === undefined ? [] : [extra])];
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function valueAt(root: unknown, instancePath: string): unknown {
  let v = root;
  for (const p of instancePath.split('/').filter(Boolean)) v = (v as Record<string, unknown> | undefined)?.[p.replace(/~1/g, '/').replace(/~0/g, '~')];
  return v;
}

/** One line for the first schema violation, naming the field: `"crunWasmedge.sha256" must be …`. */
function configProblem(e: ErrorObject, value: unknown): string {
  const parentPointer = e.schemaPath.slice(0, e.schemaPath.lastIndexOf('/'));
  const parent = schemaAt(parentPointer);
  if (e.keyword === 'additionalProperties') {
    const key = (e.params as { additionalProperty: string }).additionalProperty;
    const known = Object.keys((parent?.['properties'] as Record<string, unknown> | undefined) ?? {});
    return `unknown key ${JSON.stringify(fieldName(e.instancePath, key))} (known: ${known.join(', ')})`;
  }
  if (e.keyword === 'required') return `${JSON.stringify(fieldName(e.instancePath, (e.params as { missingProperty: string }).missingProperty))} is missing`;
  const got = JSON.stringify(valueAt(value, e.instancePath)) ?? 'nothing';
  const requirement = typeof parent?.['description'] === 'string' ? parent['description'] : (e.message ?? 'is invalid');
  return `${JSON.stringify(fieldName(e.instancePath) || '(top level)')} ${requirement} (got ${got.length > 80 ? `${got.slice(0, 77)}...` : got})`;
}

/**
 * Validates a config (as parsed from a --config file, or built in code) against
 * schemas/provision-config.schema.json; the first problem is one UserError line naming the field.
 */
export function validateConfigFile(value: unknown, name: string): ConfigFile {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UserError(`--config: ${name} must be a YAML mapping`);
  validator ??= compileSchema(SCHEMA_FILE);
  if (!validator(value)) throw new UserError(`--config: ${name}: ${configProblem(validator.errors![0]!, value)}`);
  return value as ConfigFile;
}

/** Reads a --config YAML file; unknown keys and wrong types are one-line UserErrors. */
export function readConfigFile(file: string): ConfigFile {
  if (!existsSync(file)) throw new UserError(`--config: ${file} does not exist`);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`--config: ${file} is not valid YAML: ${errorMessage(e).split('\n')[0]}`);
  }
  return validateConfigFile(raw, file);
}

/** Merges profile defaults, a config file and flags into one ProvisionConfig (versions checked against the catalogue). */
export function buildConfig(cat: Catalogue, opts: { profile?: Profile; file?: ConfigFile; filePath?: string; fileDir?: string; root?: string; versions?: Partial<VersionSet> }): ProvisionConfig {
  const f = opts.file === undefined ? {} : validateConfigFile(opts.file, opts.filePath ?? 'config');
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
  // A missing sha256 is the same as null: not pinned (the plan lists it, a real run refuses).
  if (f.crunWasmedge) c.crunWasmedge = { url: f.crunWasmedge.url, sha256: f.crunWasmedge.sha256 ?? null, ...(opts.filePath ? { pinnedIn: opts.filePath } : {}) };
  const base = opts.fileDir ?? process.cwd();
  c.images = (f.images ?? []).map((i): PreloadImage => ({ file: isAbsolute(i.file) ? i.file : resolve(base, i.file), ref: i.ref ?? null }));
  for (const i of c.images) if (!existsSync(i.file)) throw new UserError(`image to preload ${i.file} does not exist`);
  if (opts.root !== undefined) c.root = opts.root;
  if (!isAbsolute(c.root)) throw new UserError(`--root must be an absolute path (got ${JSON.stringify(c.root)})`);
  checkTargetPath('--root', c.root, { inPath: true });
  for (const [k, v] of [['shimDir', c.shimDir], ['wasmedgePrefix', c.wasmedgePrefix]] as const) {
    if (!isAbsolute(v)) throw new UserError(`${k} must be an absolute path (got ${JSON.stringify(v)})`);
    checkTargetPath(k, v);
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
