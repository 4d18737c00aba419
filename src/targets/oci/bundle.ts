/** OCI bundles written by the harness: the image's layer unpacked once per run as a shared read-only rootfs, one config.json per container. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImage, type BuiltImage } from '../../image/build.js';
import type { Workload } from '../../result/types.js';
import { runtimeSpec } from './spec.js';

/** A rootfs ready to be shared by many bundles. */
export interface PreparedRootfs {
  image: BuiltImage;
  rootfs: string;
  /** argv of the container process (entrypoint + args). */
  args: string[];
  wasm: boolean;
}

/** Builds the workload's image under `dir/images` and unpacks its layer to `dir/rootfs`. */
export function prepareRootfs(workload: Workload, dir: string, args: string[] = workload.args): PreparedRootfs {
  const image = buildImage({ workload, outDir: join(dir, 'images') });
  const rootfs = join(dir, 'rootfs');
  mkdirSync(rootfs, { recursive: true });
  const layer = join(image.layoutDir, 'blobs', 'sha256', image.layerDigest.slice(7));
  execFileSync('tar', ['-xzf', layer, '-C', rootfs], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { image, rootfs, args: [...image.entrypoint, ...args], wasm: workload.kind === 'wasm' };
}

/** Writes `dir/<name>/config.json` pointing at the shared rootfs; returns the bundle folder. */
export function writeBundle(prepared: PreparedRootfs, bundlesDir: string, name: string, cgroupsPath?: string): string {
  const b = join(bundlesDir, name);
  mkdirSync(b, { recursive: true });
  const spec = runtimeSpec({ args: prepared.args, wasm: prepared.wasm, ...(cgroupsPath ? { cgroupsPath } : {}) });
  (spec['root'] as { path: string }).path = prepared.rootfs;
  writeFileSync(join(b, 'config.json'), JSON.stringify(spec, null, 1));
  return b;
}
