/**
 * Reading memory cgroups (v1 memory controller or v2 unified) from cgroupfs. As in procfs.ts: null only when the
 * cgroup (or process) does not exist; any other failure throws a HostReadError naming the file.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fsOrNull, HostReadError, readOrNull } from './procfs.js';

const CG = '/sys/fs/cgroup';

/** The memory cgroup directory of a process (v1 memory controller, else the v2 unified one). */
export function memoryCgroupDir(pid: number, proc = '/proc', root = CG): string | null {
  const s = readOrNull(join(proc, String(pid), 'cgroup'), undefined, true);
  if (!s) return null;
  let v2: string | null = null;
  for (const line of s.split('\n')) {
    const [, ctrls, path] = line.split(':');
    if (ctrls === undefined || path === undefined) continue;
    if (ctrls.split(',').includes('memory')) return join(root, 'memory', path);
    if (ctrls === '') v2 = path;
  }
  if (v2 !== null) {
    const unified = existsSync(join(root, 'cgroup.controllers')) ? root : join(root, 'unified');
    return join(unified, v2);
  }
  return null;
}

/** Memory charged to a cgroup directory (v1 usage_in_bytes or v2 memory.current), or null when neither file exists. */
export function cgroupMemoryBytes(dir: string): number | null {
  for (const f of ['memory.usage_in_bytes', 'memory.current']) {
    const v = readOrNull(join(dir, f));
    if (v === null) continue;
    const n = Number(v.trim());
    if (v.trim() === '' || !Number.isFinite(n)) throw new HostReadError(join(dir, f), undefined, `not a byte count: ${JSON.stringify(v.trim().slice(0, 40))}`);
    return n;
  }
  return null;
}

/** Memory charged to a cgroup given by path (tries v2 then v1 under `root`), bytes; null if absent. */
export function cgroupMemoryUsage(cgroupPath: string, root = CG): number | null {
  return cgroupMemoryBytes(join(root, cgroupPath)) ?? cgroupMemoryBytes(join(root, 'memory', cgroupPath));
}

/** Pids in a cgroup directory (cgroup.procs), or null when it is gone. */
export function cgroupPids(dir: string, recursive = false): number[] | null {
  const v = readOrNull(join(dir, 'cgroup.procs'));
  if (v === null) return null;
  const pids = v.split('\n').filter(Boolean).map(Number);
  if (recursive) {
    for (const d of subdirs(dir)) pids.push(...(cgroupPids(join(dir, d), true) ?? []));
  }
  return pids;
}

/** Pids in a cgroup tree given by path: the v1 memory hierarchy under `root` when it holds any, else the v2 unified one; null when neither exists. */
export function cgroupTreePids(cgroupPath: string, root = CG): number[] | null {
  const v1 = cgroupPids(join(root, 'memory', cgroupPath), true);
  if (v1 !== null && v1.length) return v1;
  return cgroupPids(join(root, cgroupPath), true) ?? v1;
}

/** Number of processes in a cgroup, or null. */
export function cgroupProcessCount(dir: string): number | null {
  return cgroupPids(dir)?.length ?? null;
}

/** Subdirectories of a directory; none when it does not exist (removed meanwhile), throws when it cannot be listed. */
function subdirs(dir: string): string[] {
  return (fsOrNull(dir, () => readdirSync(dir, { withFileTypes: true })) ?? []).filter((e) => e.isDirectory()).map((e) => e.name);
}

/** Where kubelets put pods: the kubepods* directories (kubepods, kubepods.slice, …/kubepods) in the memory hierarchy. */
export function kubepodsDirs(root = CG): string[] {
  // kubepods may sit at the top or under a slice/parent (e.g. /kubepods, /kubepods.slice, /k3s/kubepods): search 4 levels.
  return [join(root, 'memory'), root].filter((b) => existsSync(b)).flatMap((base) => search(base, (n) => n.startsWith('kubepods'), 3));
}

/**
 * The memory cgroup directory of a Kubernetes pod by its UID, searched where kubelets put pods:
 * cgroupfs driver (kubepods/[burstable|besteffort/]pod<uid>) and systemd driver (kubepods-…-pod<uid_with_underscores>.slice).
 * K3s and the dev cluster use the cgroupfs layout; null when the pod's cgroup is not on this host.
 * Pass `kubepods` (from kubepodsDirs) when looking up many pods.
 */
export function podCgroupDir(uid: string, root = CG, kubepods = kubepodsDirs(root)): string | null {
  const names = new Set([`pod${uid}`, `pod${uid.replace(/-/g, '_')}.slice`]);
  for (const kp of kubepods) {
    const hit = search(kp, (n) => names.has(n) || [...names].some((x) => n.endsWith(`-${x}`)), 2)[0];
    if (hit) return hit;
  }
  return null;
}

/** Directories under `dir` (depth ≤ `depth`) whose name matches, breadth first. */
function search(dir: string, match: (name: string) => boolean, depth: number): string[] {
  const out: string[] = [];
  let level = [dir];
  for (let d = 0; d <= depth && level.length; d++) {
    const next: string[] = [];
    for (const p of level) {
      for (const n of subdirs(p)) {
        const full = join(p, n);
        if (match(n)) out.push(full);
        else next.push(full);
      }
    }
    level = next;
  }
  return out;
}
