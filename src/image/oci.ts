/** OCI image-spec v1 media types and the JSON documents of a one-layer scratch image (pure, no I/O). */
import type { Workload } from '../result/types.js';
import { sha256 } from '../util/hash.js';
import { deterministicGzip } from './gzip.js';
import { tarArchive } from './tar.js';

export const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

/** Annotation Wasm-aware runtimes (crun, runwasi) look for. */
export const WASM_VARIANT_ANNOTATION = 'module.wasm.image/variant';
export const WASM_VARIANT = 'compat-smart';
/** Fixed creation time: images must not depend on when they were built. */
export const EPOCH = '1970-01-01T00:00:00Z';

/** An OCI platform. */
export interface Platform {
  architecture: string;
  os: string;
}

/** A content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
}

/** A blob: its descriptor digest and bytes. */
export interface Blob {
  digest: string;
  data: Buffer;
}

/** A composed image, ready to write as a layout. */
export interface ComposedImage {
  platform: Platform;
  entrypoint: string[];
  /** Path of the module inside the image (no leading slash). */
  member: string;
  layer: Blob & { diffId: string; uncompressedSize: number };
  config: Blob;
  manifest: Blob;
  blobs: Blob[];
}

/** sha256:<hex> of bytes. */
export function digestOf(data: Uint8Array): string {
  return `sha256:${sha256(data)}`;
}

/** JSON bytes of a document (insertion-ordered keys, no whitespace: stable for stable inputs). */
export function jsonBytes(doc: unknown): Buffer {
  return Buffer.from(JSON.stringify(doc), 'utf8');
}

/** OCI architecture name of an ELF file's e_machine, or null for an unknown machine. */
export function elfArchitecture(elf: Uint8Array): string | null {
  if (elf.length < 20) return null;
  const little = elf[5] === 1;
  const machine = little ? (elf[18] ?? 0) | ((elf[19] ?? 0) << 8) : ((elf[18] ?? 0) << 8) | (elf[19] ?? 0);
  const names: Record<number, string> = { 0x3e: 'amd64', 0xb7: 'arm64', 0x28: 'arm', 0x03: '386', 0xf3: 'riscv64', 0x16: 's390x', 0x15: 'ppc64le' };
  return names[machine] ?? null;
}

/** Platform of a workload: wasi/wasm for modules, linux/<ELF arch> for executables. */
export function platformOf(workload: Workload, bytes: Uint8Array): Platform {
  if (workload.kind === 'wasm') return { architecture: 'wasm', os: 'wasi' };
  const arch = elfArchitecture(bytes);
  if (!arch) throw new Error(`${workload.path}: unknown ELF machine type`);
  return { architecture: arch, os: 'linux' };
}

/** Composes the layer, config and manifest of a scratch image holding one module as its entrypoint. */
export function composeImage(workload: Workload, bytes: Uint8Array): ComposedImage {
  if (workload.kind !== 'wasm' && workload.kind !== 'native') throw new Error(`cannot image a ${workload.kind} workload`);
  const platform = platformOf(workload, bytes);
  const wasm = workload.kind === 'wasm';
  const member = wasm ? 'module.wasm' : (workload.name.replace(/[^A-Za-z0-9._-]/g, '_') || 'app');
  const entrypoint = [`/${member}`];
  const layerTar = tarArchive([{ name: member, type: 'file', data: bytes, mode: 0o755 }]);
  const layerGz = deterministicGzip(layerTar);
  const layer = { digest: digestOf(layerGz), data: layerGz, diffId: digestOf(layerTar), uncompressedSize: layerTar.length };
  const labels: Record<string, string> = { 'io.edgebench.workload.sha256': workload.sha256 };
  if (wasm) labels[WASM_VARIANT_ANNOTATION] = WASM_VARIANT;
  const configDoc = {
    created: EPOCH,
    architecture: platform.architecture,
    os: platform.os,
    config: { Entrypoint: entrypoint, Cmd: [...workload.args], Labels: labels },
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    history: [{ created: EPOCH, created_by: `edgebench image build (${workload.kind} ${workload.name})` }],
  };
  const configData = jsonBytes(configDoc);
  const config = { digest: digestOf(configData), data: configData };
  const manifestDoc: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    config: { mediaType: MEDIA.config, digest: config.digest, size: config.data.length },
    layers: [{ mediaType: MEDIA.layerGzip, digest: layer.digest, size: layer.data.length }],
  };
  if (wasm) manifestDoc['annotations'] = { [WASM_VARIANT_ANNOTATION]: WASM_VARIANT };
  const manifestData = jsonBytes(manifestDoc);
  const manifest = { digest: digestOf(manifestData), data: manifestData };
  const blobs = [layer, config, manifest].map((b) => ({ digest: b.digest, data: b.data })).sort((a, b) => a.digest.localeCompare(b.digest));
  return { platform, entrypoint, member, layer, config, manifest, blobs };
}

/** index.json naming the manifest with its reference (containerd and OCI annotations). */
export function indexDoc(img: ComposedImage, fullName: string, tag: string): Buffer {
  const wasm = img.platform.os === 'wasi';
  const annotations: Record<string, string> = { 'io.containerd.image.name': fullName, 'org.opencontainers.image.ref.name': tag };
  if (wasm) annotations[WASM_VARIANT_ANNOTATION] = WASM_VARIANT;
  const desc: Descriptor = { mediaType: MEDIA.manifest, digest: img.manifest.digest, size: img.manifest.data.length, annotations, platform: img.platform };
  return jsonBytes({ schemaVersion: 2, mediaType: MEDIA.index, manifests: [desc] });
}

/** Docker's manifest.json (what `docker load` reads), pointing into the same blobs. */
export function dockerManifest(img: ComposedImage, repoTag: string): Buffer {
  const path = (d: string): string => `blobs/sha256/${d.slice('sha256:'.length)}`;
  return jsonBytes([{ Config: path(img.config.digest), RepoTags: [repoTag], Layers: [path(img.layer.digest)] }]);
}
