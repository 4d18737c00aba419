/** Run labels: every container, task, bundle and cgroup an oci-layer run creates carries one, so it can be found and removed. */
import { env } from '../../env/environment.js';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Root of the oci layer's state on this host (tmpfs under /run). */
export const STATE_ROOT = env.ociState() ?? '/run/edgebench/oci';
/** Label key set on containerd and docker containers. */
export const LABEL_KEY = 'io.edgebench.run';
/** cgroup parent (under each controller) of the containers crun/runc start. */
export const CGROUP_PARENT = 'edgebench';

/** A fresh run label: short (container ids embed it), unique, lowercase. */
export function newLabel(): string {
  return `eb${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
}

/** Folder holding a label's bundles and runtime state. */
export function labelDir(label: string): string {
  return join(STATE_ROOT, label);
}

/** Creates the label's folder and records the owning process. */
export function claimLabel(label: string): string {
  const d = labelDir(label);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'owner.pid'), `${process.pid}\n`);
  return d;
}

/** Labels with state on this host. */
export function knownLabels(): string[] {
  if (!existsSync(STATE_ROOT)) return [];
  return readdirSync(STATE_ROOT).filter((l) => /^[a-z0-9]+$/.test(l));
}

/** True when the process that owns a label is still running. */
export function ownerAlive(label: string): boolean {
  try {
    const pid = Number(readFileSync(join(labelDir(label), 'owner.pid'), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
