/** Workload images for CRI: named after the fixture's content, imported into containerd's k8s.io namespace. */
import type { Workload } from '../../result/types.js';
import { UserError } from '../../util/errors.js';
import type { CriClient } from './client.js';

/** Registry-less name of a workload's image: edgebench.local/<name>:<first 12 hex of its sha256>. */
export function workloadImageRef(w: Workload): string {
  const name = w.name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  return `edgebench.local/${name}:${w.kind}-${w.sha256.slice(0, 12)}`;
}

/** Resolves the image ref for `w`, throwing a one-line UserError when containerd does not have it. */
export async function ensureWorkloadImage(client: CriClient, w: Workload): Promise<string> {
  const ref = workloadImageRef(w);
  if (await client.imageStatus(ref)) return ref;
  throw new UserError(`image ${ref} for ${w.path} is not in containerd at ${client.socket} (scripts/cri-containerd.sh up imports the fixtures' images)`);
}

/** Throws a one-line UserError when the sandbox (pause) image is missing. */
export async function requireSandboxImage(client: CriClient, ref: string): Promise<void> {
  if (!ref) throw new UserError(`containerd at ${client.socket} names no sandbox_image in its CRI config`);
  if (!(await client.imageStatus(ref))) {
    throw new UserError(`sandbox image ${ref} is not in containerd at ${client.socket} (scripts/cri-containerd.sh up builds and imports it)`);
  }
}
