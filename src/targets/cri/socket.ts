/** Where the CRI socket is, and the one-line refusal when it is not there. */
import { processEnv, type EnvSource } from '../../env/environment.js';
import { readOption } from '../options.js';
import { CRI_SOCKET, DEFAULT_CRI_SOCKET } from './options.js';
import { statSync } from 'node:fs';
import { UserError } from '../../util/errors.js';

/** edgebench's own containerd (scripts/cri-containerd.sh). */
export { DEFAULT_CRI_SOCKET };
/** K3s serves its embedded containerd's CRI here. */
export const K3S_CRI_SOCKET = '/run/k3s/containerd/containerd.sock';

/** The socket to use: target option `socket`, else $EDGEBENCH_CRI_SOCKET, else edgebench's own. */
export function criSocketPath(options: Record<string, string> = {}, from: EnvSource = processEnv()): string {
  const s = readOption(CRI_SOCKET, options, from) ?? DEFAULT_CRI_SOCKET;
  return s.replace(/^unix:\/\//, '');
}

/** True when `path` is a unix socket. */
export function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

/** Throws a UserError (exit 2) unless `path` is a unix socket. */
export function requireSocket(path: string): void {
  let isSocket = false;
  try {
    isSocket = statSync(path).isSocket();
  } catch {
    throw new UserError(
      `no CRI socket at ${path} (start edgebench's containerd with scripts/cri-containerd.sh up, or set EDGEBENCH_CRI_SOCKET, e.g. ${K3S_CRI_SOCKET} on K3s)`,
    );
  }
  if (!isSocket) throw new UserError(`CRI socket ${path} is not a unix socket`);
}
