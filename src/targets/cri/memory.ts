/** Memory of a pod: its cgroup (sandbox + containers) and its containerd shim process (outside the pod cgroup). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Resident and proportional set size of a process, bytes (from /proc/<pid>/smaps_rollup). */
export interface ProcMemory {
  rss: number;
  pss: number;
}

/** Parses smaps_rollup text into bytes. */
export function parseSmapsRollup(text: string): ProcMemory | null {
  const kb = (key: string): number | null => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : null;
  };
  const rss = kb('Rss');
  const pss = kb('Pss');
  return rss === null || pss === null ? null : { rss, pss };
}

/** A process's RSS and PSS, or null when it is gone. */
export function procMemory(pid: number, proc = '/proc'): ProcMemory | null {
  try {
    return parseSmapsRollup(readFileSync(join(proc, String(pid), 'smaps_rollup'), 'utf8'));
  } catch {
    return null;
  }
}

/** Parent pid from /proc/<pid>/stat (the field after the parenthesised command). */
export function parentPid(pid: number, proc = '/proc'): number | null {
  try {
    const stat = readFileSync(join(proc, String(pid), 'stat'), 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    return Number.isInteger(ppid) && ppid > 0 ? ppid : null;
  } catch {
    return null;
  }
}

/** Command name of a process. */
export function procComm(pid: number, proc = '/proc'): string | null {
  try {
    return readFileSync(join(proc, String(pid), 'comm'), 'utf8').trim();
  } catch {
    return null;
  }
}

/** Memory charged to a cgroup (v1 memory.usage_in_bytes, or v2 memory.current), bytes; null if absent. */
export function cgroupMemoryUsage(cgroupPath: string, root = '/sys/fs/cgroup'): number | null {
  const candidates = [join(root, cgroupPath, 'memory.current'), join(root, 'memory', cgroupPath, 'memory.usage_in_bytes')];
  for (const f of candidates) {
    if (!existsSync(f)) continue;
    try {
      const n = Number(readFileSync(f, 'utf8').trim());
      if (Number.isFinite(n)) return n;
    } catch {
      /* raced with removal */
    }
  }
  return null;
}

/** Host MemAvailable in bytes (procfs). */
export function memAvailable(proc = '/proc'): number | null {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync(join(proc, 'meminfo'), 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Tasks (threads) alive on the host, from /proc/loadavg's "running/total" field. */
export function hostTasks(proc = '/proc'): number | null {
  try {
    const f = readFileSync(join(proc, 'loadavg'), 'utf8').split(' ')[3] ?? '';
    const n = Number(f.split('/')[1]);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/** kernel.pid_max (upper bound of tasks). */
export function pidMax(proc = '/proc'): number | null {
  try {
    return Number(readFileSync(join(proc, 'sys/kernel/pid_max'), 'utf8').trim());
  } catch {
    return null;
  }
}

/** One pod's memory: cgroup usage, and the shim's RSS/PSS. */
export interface PodMemory {
  cgroup: number | null;
  shimRss: number | null;
  shimPss: number | null;
  shimPid: number | null;
}

/** Measures a pod from its sandbox (pause) pid and its cgroup parent. */
export function podMemory(sandboxPid: number | null, cgroupParent: string): PodMemory {
  const shimPid = sandboxPid ? parentPid(sandboxPid) : null;
  const shim = shimPid && /^containerd-shim/.test(procComm(shimPid) ?? '') ? procMemory(shimPid) : null;
  return { cgroup: cgroupMemoryUsage(cgroupParent), shimRss: shim?.rss ?? null, shimPss: shim?.pss ?? null, shimPid: shim ? shimPid : null };
}
