/** Reading processes and host memory from procfs (Linux). Every reader takes the proc root so tests can use a fake tree. */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a file, or null when it is gone (processes exit while they are read). */
export function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

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
  const s = readOrNull(join(proc, String(pid), 'smaps_rollup'));
  return s === null ? null : parseSmapsRollup(s);
}

/** Proportional set size of a process in bytes, or null when it is gone. */
export function pssBytes(pid: number, proc = '/proc'): number | null {
  return procMemory(pid, proc)?.pss ?? null;
}

/** Fields of /proc/<pid>/stat after the parenthesised command (which may hold spaces): [0] is field 3, state. */
function statFields(pid: number, proc: string): string[] | null {
  const stat = readOrNull(join(proc, String(pid), 'stat'));
  return stat === null ? null : stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Parent pid from /proc/<pid>/stat (field 4). */
export function parentPid(pid: number, proc = '/proc'): number | null {
  const ppid = Number(statFields(pid, proc)?.[1]);
  return Number.isInteger(ppid) && ppid > 0 ? ppid : null;
}

/** Start time of a process in clock ticks since boot (/proc/<pid>/stat field 22), as written; null when it is gone. */
export function procStartTime(pid: number, proc = '/proc'): string | null {
  return statFields(pid, proc)?.[19] ?? null;
}

/** Command name of a process (/proc/<pid>/comm, at most 15 characters), or null. */
export function procComm(pid: number, proc = '/proc'): string | null {
  return readOrNull(join(proc, String(pid), 'comm'))?.trim() ?? null;
}

/** Command line of a process as its arguments, or null. */
export function procArgs(pid: number, proc = '/proc'): string[] | null {
  const s = readOrNull(join(proc, String(pid), 'cmdline'));
  return s === null ? null : s.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
}

/** Pids of all processes now. */
export function listPids(proc = '/proc'): number[] {
  try {
    return readdirSync(proc).filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return [];
  }
}

/** Socket inodes a process holds open (fd links "socket:[N]"); empty when unreadable. */
export function socketInodes(pid: number, proc = '/proc'): Set<number> {
  const out = new Set<number>();
  let fds: string[];
  try {
    fds = readdirSync(join(proc, String(pid), 'fd'));
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(join(proc, String(pid), 'fd', fd)));
      if (m) out.add(Number(m[1]));
    } catch {
      /* closed meanwhile */
    }
  }
  return out;
}

/** Inodes of listening Unix sockets bound to `path` (/proc/net/unix). */
export function unixSocketInodes(path: string, proc = '/proc'): Set<number> {
  const out = new Set<number>();
  for (const line of (readOrNull(join(proc, 'net', 'unix')) ?? '').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 8 && f[7] === path) out.add(Number(f[6]));
  }
  return out;
}

/** Host MemAvailable in bytes, or null. */
export function memAvailable(proc = '/proc'): number | null {
  const m = /^MemAvailable:\s+(\d+) kB/m.exec(readOrNull(join(proc, 'meminfo')) ?? '');
  return m ? Number(m[1]) * 1024 : null;
}

/** Host memory in use (MemTotal − MemAvailable) and available, in bytes. */
export function hostMemory(proc = '/proc'): { used: number; available: number; total: number } {
  const s = readOrNull(join(proc, 'meminfo')) ?? '';
  const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
  const total = kb('MemTotal');
  const available = kb('MemAvailable');
  return { used: total - available, available, total };
}

/** Tasks (threads) alive on the host, from /proc/loadavg's "running/total" field. */
export function hostTasks(proc = '/proc'): number | null {
  const f = (readOrNull(join(proc, 'loadavg')) ?? '').split(' ')[3] ?? '';
  const n = Number(f.split('/')[1]);
  return f && Number.isFinite(n) ? n : null;
}

/** kernel.pid_max (upper bound of tasks), or null. */
export function pidMax(proc = '/proc'): number | null {
  const s = readOrNull(join(proc, 'sys/kernel/pid_max'));
  return s === null ? null : Number(s.trim());
}
