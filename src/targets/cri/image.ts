/** Workload images for CRI: built by edgebench's image builder, imported into containerd's k8s.io namespace. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { which } from '../../env/tools.js';
import { buildImage } from '../../image/build.js';
import type { Workload } from '../../result/types.js';
import { UserError } from '../../util/errors.js';
import type { CriClient } from './client.js';

/** containerd namespace the CRI plugin serves. */
export const CRI_NAMESPACE = 'k8s.io';
/** Repository prefix of edgebench's CRI images (never pulled: no registry by that name). */
export const IMAGE_PREFIX = 'edgebench.local';

/** Repository name of a workload's image: edgebench.local/<name>-<kind>. */
export function workloadImageName(w: Workload): string {
  const base = w.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'app';
  return `${IMAGE_PREFIX}/${base}-${w.kind}`;
}

/** Imports an image tar into containerd's CRI namespace through ctr on the same socket. */
export async function importImageTar(socket: string, tarPath: string): Promise<void> {
  const ctr = which('ctr');
  if (!ctr) throw new UserError('ctr (containerd CLI) not on PATH: needed to import images into containerd');
  const r = await execa(ctr, ['--address', socket, '--namespace', CRI_NAMESPACE, 'images', 'import', '--all-platforms', tarPath], {
    reject: false,
    all: true,
    timeout: 120_000,
    stdin: 'ignore',
  });
  if (r.exitCode !== 0) throw new Error(`ctr images import ${tarPath} failed: ${(r.all ?? '').trim()}`);
}

/**
 * The image reference for `w`, building and importing it when containerd lacks it. The builder is
 * deterministic and its tag is the manifest digest's prefix, so the reference names the content.
 */
export async function ensureWorkloadImage(client: CriClient, w: Workload): Promise<{ ref: string; digest: string; imported: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'eb-cri-image-'));
  try {
    const img = buildImage({ workload: w, outDir: dir, name: workloadImageName(w) });
    if (await client.imageStatus(img.fullReference)) return { ref: img.fullReference, digest: img.digest, imported: false };
    await importImageTar(client.socket, img.tarPath);
    if (!(await client.imageStatus(img.fullReference))) throw new Error(`image ${img.fullReference} imported but CRI does not list it`);
    return { ref: img.fullReference, digest: img.digest, imported: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Throws a one-line UserError when the sandbox (pause) image is missing. */
export async function requireSandboxImage(client: CriClient, ref: string): Promise<void> {
  if (!ref) throw new UserError(`containerd at ${client.socket} names no sandbox_image in its CRI config`);
  if (!(await client.imageStatus(ref))) {
    throw new UserError(`sandbox image ${ref} is not in containerd at ${client.socket} (scripts/cri-containerd.sh up builds and imports it)`);
  }
}
