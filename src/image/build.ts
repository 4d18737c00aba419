/** Builds a deterministic scratch OCI image from a workload: an OCI layout directory plus a tar that docker and containerd both load. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Workload } from '../result/types.js';
import { UserError } from '../util/errors.js';
import { composeImage, dockerManifest, indexDoc, type Platform } from './oci.js';
import { tarArchive, type TarEntry } from './tar.js';

/** What to build. */
export interface BuildImageOptions {
  workload: Workload;
  /** Folder the layout dir and tar are written into (created if absent). */
  outDir: string;
  /** Repository name, e.g. "edgebench/noop-wasm" (default: edgebench/<workload>-<kind>). */
  name?: string;
  /** Tag (default: the first 12 hex digits of the manifest digest, so the reference names the content). */
  tag?: string;
}

/** Sizes in bytes. `total` = compressed layer + config + manifest (what a registry would store). */
export interface ImageSizes {
  layer: number;
  layerUncompressed: number;
  config: number;
  manifest: number;
  total: number;
  tar: number;
}

/** A built image. */
export interface BuiltImage {
  name: string;
  tag: string;
  /** name:tag as docker shows it. */
  reference: string;
  /** Fully qualified reference as containerd stores it (docker.io/… when no registry is named). */
  fullReference: string;
  /** Manifest digest, sha256:<hex>: the image's identity. */
  digest: string;
  configDigest: string;
  layerDigest: string;
  platform: Platform;
  entrypoint: string[];
  layoutDir: string;
  tarPath: string;
  sizes: ImageSizes;
}

const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Checks a repository name against the distribution reference grammar; throws a UserError naming the fault. */
export function checkName(name: string): void {
  const parts = name.split('/');
  const first = parts[0] ?? '';
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasDomain ? parts.slice(1) : parts;
  if (name.length > 255 || path.length === 0 || !path.every((p) => COMPONENT.test(p))) {
    throw new UserError(`image name "${name}": not a valid repository name (lowercase letters, digits, . _ - separated by /)`);
  }
}

/** Fully qualified name as containerd (and `docker.io` normalisation) stores it. */
export function fullName(name: string): string {
  const parts = name.split('/');
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) return name;
  return parts.length === 1 ? `docker.io/library/${name}` : `docker.io/${name}`;
}

/** Default repository name of a workload's image. */
export function defaultImageName(workload: Workload): string {
  const base = workload.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'app';
  return `edgebench/${base}-${workload.kind}`;
}

/** File-name-safe form of name:tag. */
function slug(name: string, tag: string): string {
  return `${name.replace(/[/:]/g, '_')}_${tag}`;
}

/** Builds the image; writes `<out>/<slug>/` (OCI layout) and `<out>/<slug>.tar` atomically (a failed build leaves nothing). */
export function buildImage(opts: BuildImageOptions): BuiltImage {
  const { workload } = opts;
  const name = opts.name ?? defaultImageName(workload);
  checkName(name);
  if (opts.tag !== undefined && !TAG.test(opts.tag)) throw new UserError(`image tag "${opts.tag}": not a valid tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})`);
  if (workload.kind !== 'wasm' && workload.kind !== 'native') throw new UserError(`${workload.path}: neither a Wasm module nor an executable`);
  const bytes = readFileSync(workload.path);
  let img;
  try {
    img = composeImage(workload, bytes);
  } catch (e) {
    throw new UserError(e instanceof Error ? e.message : String(e));
  }
  const tag = opts.tag ?? img.manifest.digest.slice('sha256:'.length, 'sha256:'.length + 12);
  const full = `${fullName(name)}:${tag}`;
  const files: TarEntry[] = [
    { name: 'blobs', type: 'dir', mode: 0o755 },
    { name: 'blobs/sha256', type: 'dir', mode: 0o755 },
    ...img.blobs.map((b): TarEntry => ({ name: `blobs/sha256/${b.digest.slice(7)}`, type: 'file', data: b.data, mode: 0o644 })),
    { name: 'index.json', type: 'file', data: indexDoc(img, full, tag), mode: 0o644 },
    { name: 'oci-layout', type: 'file', data: Buffer.from('{"imageLayoutVersion":"1.0.0"}'), mode: 0o644 },
  ];
  const tarFiles: TarEntry[] = [...files, { name: 'manifest.json', type: 'file', data: dockerManifest(img, `${name}:${tag}`), mode: 0o644 }];
  const tar = tarArchive(tarFiles);

  const out = resolve(opts.outDir);
  mkdirSync(out, { recursive: true });
  const s = slug(name, tag);
  const layoutDir = join(out, s);
  const tarPath = join(out, `${s}.tar`);
  const tmp = mkdtempSync(join(out, '.eb-image-'));
  try {
    const tmpLayout = join(tmp, 'layout');
    for (const f of files) {
      const p = join(tmpLayout, f.name);
      if (f.type === 'dir') mkdirSync(p, { recursive: true });
      else writeFileSync(p, f.data ?? new Uint8Array(), { mode: f.mode });
    }
    writeFileSync(join(tmp, 'image.tar'), tar, { mode: 0o644 });
    rmSync(layoutDir, { recursive: true, force: true });
    rmSync(tarPath, { force: true });
    renameSync(tmpLayout, layoutDir);
    renameSync(join(tmp, 'image.tar'), tarPath);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const sizes: ImageSizes = {
    layer: img.layer.data.length,
    layerUncompressed: img.layer.uncompressedSize,
    config: img.config.data.length,
    manifest: img.manifest.data.length,
    total: img.layer.data.length + img.config.data.length + img.manifest.data.length,
    tar: tar.length,
  };
  return {
    name, tag, reference: `${name}:${tag}`, fullReference: full, digest: img.manifest.digest, configDigest: img.config.digest, layerDigest: img.layer.digest,
    platform: img.platform, entrypoint: img.entrypoint, layoutDir, tarPath, sizes,
  };
}

/** True when a built image's files are present. */
export function imageFilesPresent(img: Pick<BuiltImage, 'layoutDir' | 'tarPath'>): boolean {
  return existsSync(join(img.layoutDir, 'index.json')) && existsSync(img.tarPath);
}
