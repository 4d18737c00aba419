/** Loading a built image tar into docker or containerd (through their CLIs), with daemon checks that fail as one line. */
import { childEnv, env } from '../env/environment.js';
import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { which } from '../env/tools.js';
import { UserError } from '../util/errors.js';
import type { BuiltImage } from './build.js';

/** Where the daemons listen (overridable for tests and unusual setups). */
export const CONTAINERD_SOCK = env.containerdSock() ?? '/run/containerd/containerd.sock';
export const DOCKER_SOCK = env.dockerSock() ?? '/var/run/docker.sock';
/** containerd namespace edgebench's oci layer uses. */
export const CONTAINERD_NAMESPACE = env.containerdNamespace() ?? 'edgebench';

/** Environment for the docker CLI: API 1.41 so CLI 28 talks to Debian's dockerd 20.10. */
export function dockerEnv(): NodeJS.ProcessEnv {
  return childEnv({ DOCKER_API_VERSION: env.dockerApiVersion() ?? '1.41', DOCKER_HOST: `unix://${DOCKER_SOCK}` });
}

/** Base argv of ctr for our socket and namespace. */
export function ctrArgs(...rest: string[]): string[] {
  return ['-a', CONTAINERD_SOCK, '-n', CONTAINERD_NAMESPACE, ...rest];
}

/** Why docker cannot be used here, or null when its daemon answers. */
export async function dockerUnavailable(): Promise<string | null> {
  if (!which('docker')) return 'docker CLI not found on PATH';
  if (!existsSync(DOCKER_SOCK)) return `docker daemon not running (no socket at ${DOCKER_SOCK}; start it: scripts/oci-daemons.sh)`;
  const r = await execa('docker', ['version', '--format', '{{.Server.Version}}'], { env: dockerEnv(), reject: false, timeout: 15_000, stdin: 'ignore' });
  if (r.exitCode !== 0) return `docker daemon not answering at ${DOCKER_SOCK} (start it: scripts/oci-daemons.sh)`;
  return null;
}

/** Why containerd cannot be used here, or null when it answers. */
export async function containerdUnavailable(): Promise<string | null> {
  if (!which('ctr')) return 'ctr (containerd CLI) not found on PATH';
  if (!existsSync(CONTAINERD_SOCK)) return `containerd not answering at ${CONTAINERD_SOCK} (no socket; start it: scripts/oci-daemons.sh)`;
  const r = await execa('ctr', ['-a', CONTAINERD_SOCK, 'version'], { reject: false, timeout: 15_000, stdin: 'ignore' });
  if (r.exitCode !== 0) return `containerd not answering at ${CONTAINERD_SOCK} (start it: scripts/oci-daemons.sh)`;
  return null;
}

/** Loads the image into docker; returns the reference docker knows it by. */
export async function loadIntoDocker(img: BuiltImage): Promise<string> {
  const why = await dockerUnavailable();
  if (why) throw new UserError(why);
  const r = await execa('docker', ['load', '-i', img.tarPath], { env: dockerEnv(), reject: false, all: true, timeout: 120_000, stdin: 'ignore' });
  const out = (r.all ?? '').trim();
  if (r.exitCode !== 0 && /unknown operating system/.test(out)) {
    throw new UserError(`docker cannot load ${img.reference} (${img.platform.os}/${img.platform.architecture}): the daemon says ${JSON.stringify(out.split('\n').pop())}; load Wasm images into containerd instead`);
  }
  if (r.exitCode !== 0) throw new Error(`docker load ${img.tarPath} failed: ${out}`);
  return img.reference;
}

/** Imports the image into containerd (namespace edgebench, all platforms so wasi/wasm content is kept). */
export async function loadIntoContainerd(img: BuiltImage, namespace = CONTAINERD_NAMESPACE): Promise<string> {
  const why = await containerdUnavailable();
  if (why) throw new UserError(why);
  const r = await execa('ctr', ['-a', CONTAINERD_SOCK, '-n', namespace, 'images', 'import', '--all-platforms', img.tarPath], { reject: false, all: true, timeout: 120_000, stdin: 'ignore' });
  if (r.exitCode !== 0) throw new Error(`ctr images import ${img.tarPath} failed: ${(r.all ?? '').trim()}`);
  return img.fullReference;
}
