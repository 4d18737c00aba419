/** The pinned version catalogue (provision/catalogue.yaml): loading, validation, artifact lookup. */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { compileSchema, formatSchemaErrors } from '../result/validate.js';
import { UserError, errorMessage } from '../util/errors.js';
import { repoPath } from '../util/paths.js';
import type { Arch, Artifact, VersionSet } from './types.js';

interface RawArtifact {
  url: string;
  sha256: string | null;
  /** Where the sha256 came from (written by `provision pin`). */
  source?: string;
}
type PerArch = Partial<Record<Arch, RawArtifact>>;

/** The catalogue as stored (validated against schemas/provision-catalogue.schema.json). */
export interface Catalogue {
  /** Where it was read from (named in refusals). */
  file: string;
  defaults: VersionSet;
  k3s: Record<string, { installer: RawArtifact; binary: PerArch; airgapImages?: PerArch }>;
  wasmedge: Record<string, { runtime: PerArch; wasiNnGgml?: PerArch; wasiNnGgmlCuda?: PerArch }>;
  shim: Record<string, PerArch>;
}

/** Path of the catalogue shipped with edgebench. */
export function defaultCataloguePath(): string {
  return repoPath('provision', 'catalogue.yaml');
}

/** Reads and validates a catalogue file; any problem is one UserError line. */
export function loadCatalogue(file = defaultCataloguePath()): Catalogue {
  if (!existsSync(file)) throw new UserError(`catalogue ${file} does not exist`);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`catalogue ${file} is not valid YAML: ${errorMessage(e).split('\n')[0]}`);
  }
  const validate = compileSchema('provision-catalogue.schema.json');
  if (!validate(raw)) throw new UserError(`catalogue ${file} is invalid: ${formatSchemaErrors(validate.errors)}`);
  const c = raw as Omit<Catalogue, 'file'>;
  const cat: Catalogue = { ...c, file };
  checkVersions(cat, cat.defaults, 'defaults');
  return cat;
}

/** Refuses a version set naming a version the catalogue does not list (one line naming the known ones). */
export function checkVersions(cat: Catalogue, v: VersionSet, where = 'requested'): void {
  const known = (kind: string, table: Record<string, unknown>, value: string): void => {
    // own keys only: "constructor" or "__proto__" is not a version
    if (!Object.hasOwn(table, value)) throw new UserError(`${where}: unknown ${kind} version ${JSON.stringify(value)} (catalogue ${cat.file} lists: ${Object.keys(table).join(', ')})`);
  };
  known('K3s', cat.k3s, v.k3s);
  known('WasmEdge', cat.wasmedge, v.wasmedge);
  known('WasmEdge shim', cat.shim, v.shim);
}

function pick(per: PerArch | undefined, arch: Arch, name: string, pinPath: string): Artifact {
  const a = per?.[arch];
  if (!a) throw new UserError(`catalogue has no ${name} for linux/${arch}`);
  return { name: `${name} (linux/${arch})`, pinPath: `${pinPath}.${arch}`, url: a.url, sha256: a.sha256 };
}

/** The artifacts of one version set on one architecture. */
export function artifactsFor(cat: Catalogue, v: VersionSet, arch: Arch) {
  checkVersions(cat, v);
  const k = cat.k3s[v.k3s]!;
  const w = cat.wasmedge[v.wasmedge]!;
  return {
    k3sInstaller: { name: `K3s ${v.k3s} install.sh`, pinPath: `k3s.${v.k3s}.installer`, url: k.installer.url, sha256: k.installer.sha256 } as Artifact,
    k3sBinary: pick(k.binary, arch, `K3s ${v.k3s} binary`, `k3s.${v.k3s}.binary`),
    k3sAirgap: () => pick(k.airgapImages, arch, `K3s ${v.k3s} airgap images`, `k3s.${v.k3s}.airgapImages`),
    wasmedge: pick(w.runtime, arch, `WasmEdge ${v.wasmedge}`, `wasmedge.${v.wasmedge}.runtime`),
    ggml: (cuda: boolean) =>
      cuda
        ? pick(w.wasiNnGgmlCuda, arch, `WasmEdge ${v.wasmedge} WASI-NN ggml CUDA plugin`, `wasmedge.${v.wasmedge}.wasiNnGgmlCuda`)
        : pick(w.wasiNnGgml, arch, `WasmEdge ${v.wasmedge} WASI-NN ggml plugin`, `wasmedge.${v.wasmedge}.wasiNnGgml`),
    shim: pick(cat.shim[v.shim], arch, `containerd-shim-wasmedge ${v.shim}`, `shim.${v.shim}`),
  };
}

/** Maps `uname -m` to the catalogue's architecture name, or null if unsupported. */
export function archOf(unameM: string): Arch | null {
  if (unameM === 'x86_64' || unameM === 'amd64') return 'amd64';
  if (unameM === 'aarch64' || unameM === 'arm64') return 'arm64';
  return null;
}
