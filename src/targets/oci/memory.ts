/** Reading memory and process counts of running containers from procfs and cgroupfs (v1 and v2). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CG = '/sys/fs/cgroup';

/** Reads a file, or null when it is gone. */
function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Proportional set size of a process in bytes (smaps_rollup), or null when it is gone. */
export function pssBytes(pid: number): number | null {
  const s = read(`/proc/${pid}/smaps_rollup`);
  const m = s ? /^Pss:\s+(\d+) kB/m.exec(s) : null;
  return m ? Number(m[1]) * 1024 : null;
}

/** Parent pid of a process, or null. */
export function parentPid(pid: number): number | null {
  const s = read(`/proc/${pid}/stat`);
  if (!s) return null;
  const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
  const pp = Number(rest[1]);
  return Number.isFinite(pp) ? pp : null;
}

/** Command name of a process, or null. */
export function commName(pid: number): string | null {
  return read(`/proc/${pid}/comm`)?.trim() ?? null;
}

/** The memory cgroup directory of a process (v1 memory controller, else the v2 unified one). */
export function memoryCgroupDir(pid: number): string | null {
  const s = read(`/proc/${pid}/cgroup`);
  if (!s) return null;
  let v2: string | null = null;
  for (const line of s.split('\n')) {
    const [, ctrls, path] = line.split(':');
    if (ctrls === undefined || path === undefined) continue;
    if (ctrls.split(',').includes('memory')) return join(CG, 'memory', path);
    if (ctrls === '') v2 = path;
  }
  if (v2 !== null) {
    const unified = existsSync(join(CG, 'cgroup.controllers')) ? CG : join(CG, 'unified');
    return join(unified, v2);
  }
  return null;
}

/** Memory charged to a cgroup (v1 usage_in_bytes or v2 memory.current), or null. */
export function cgroupMemoryBytes(dir: string): number | null {
  const v = read(join(dir, 'memory.usage_in_bytes')) ?? read(join(dir, 'memory.current'));
  return v === null ? null : Number(v.trim());
}

/** Number of processes in a cgroup, or null. */
export function cgroupProcessCount(dir: string): number | null {
  const v = read(join(dir, 'cgroup.procs'));
  return v === null ? null : v.split('\n').filter(Boolean).length;
}

/** Host memory in use (MemTotal − MemAvailable) and available, in bytes. */
export function hostMemory(): { used: number; available: number; total: number } {
  const s = read('/proc/meminfo') ?? '';
  const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
  const total = kb('MemTotal');
  const available = kb('MemAvailable');
  return { used: total - available, available, total };
}

/** A running container as seen from the host. */
export interface ContainerHandle {
  id: string;
  /** Host pid of the container's init process. */
  pid: number;
}

/** Memory of a set of containers: what their cgroups are charged, their processes' PSS (plus any containerd shim), counts. */
export interface MemorySnapshot {
  containers: number;
  cgroupBytes: number;
  pssBytes: number;
  /** PSS of containerd shims serving these containers (0 where there are none). */
  shimPssBytes: number;
  processes: number;
  shims: number;
  hostUsedBytes: number;
  hostAvailableBytes: number;
}

/** Measures containers now. Shims are parents named containerd-shim*. */
export function snapshot(handles: readonly ContainerHandle[]): MemorySnapshot {
  let cgroupBytes = 0;
  let pss = 0;
  let processes = 0;
  let shimPss = 0;
  const shims = new Set<number>();
  const cgroups = new Set<string>();
  for (const h of handles) {
    const dir = memoryCgroupDir(h.pid);
    if (dir && !cgroups.has(dir)) {
      cgroups.add(dir);
      cgroupBytes += cgroupMemoryBytes(dir) ?? 0;
      processes += cgroupProcessCount(dir) ?? 0;
    }
    pss += pssBytes(h.pid) ?? 0;
    const pp = parentPid(h.pid);
    if (pp && pp > 1 && !shims.has(pp) && commName(pp)?.startsWith('containerd-shim')) {
      shims.add(pp);
      shimPss += pssBytes(pp) ?? 0;
    }
  }
  const host = hostMemory();
  return { containers: handles.length, cgroupBytes, pssBytes: pss, shimPssBytes: shimPss, processes: processes + shims.size, shims: shims.size, hostUsedBytes: host.used, hostAvailableBytes: host.available };
}
