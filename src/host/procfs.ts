/**
 * Reading processes and host memory from procfs (Linux). Every reader takes the proc root so tests can use a fake tree.
 *
 * Absence and failure are kept apart: a reader gives null only when the file does not exist (ENOENT; for files under
 * /proc/<pid> also ESRCH, which the kernel gives once a process is exiting, a zombie or a kernel thread). Any other
 * failure (EACCES, EISDIR, EIO, …) throws a HostReadError naming the file, so an unreadable value is never taken for
 * an absent one, and callers never turn either into 0.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Where a memory reading reads the host: procfs and cgroupfs roots (tests pass a fake tree). */
export interface HostRoots {
  proc?: string;
  cgroupRoot?: string;
}

/** Reads a whole file as text; tests inject one that fails. */
export type ReadText = (path: string) => string;

const readUtf8: ReadText = (path) => readFileSync(path, 'utf8');

/** A file that could not be read ("EACCES reading /proc/1/smaps_rollup: permission denied") or held no value ("/proc/meminfo: no MemTotal line"). */
export class HostReadError extends Error {
  override readonly name = 'HostReadError';
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(code ? `${code} reading ${path}: ${detail}` : `${path}: ${detail}`);
  }
}

/** The errno code of a thrown fs error, if any. */
function errCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

/** "permission denied" out of Node's "EACCES: permission denied, open '/x'". */
function errDetail(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return /^[A-Z0-9_]+: (.*?), [a-z]+ '.*'$/.exec(msg)?.[1] ?? msg;
}

/** Codes that mean "not there" for a file under /proc/<pid> (process gone) and for any other file. */
const GONE_PROCESS = ['ENOENT', 'ESRCH'];
const GONE_FILE = ['ENOENT'];

/** Runs an fs call: null when the path does not exist (codes in `absent`), a HostReadError for any other failure. */
export function fsOrNull<T>(path: string, op: () => T, absent: readonly string[] = GONE_FILE): T | null {
  try {
    return op();
  } catch (e) {
    const code = errCode(e);
    if (code !== undefined && absent.includes(code)) return null;
    throw new HostReadError(path, code, errDetail(e));
  }
}

/**
 * Reads a file, or null when it does not exist (ENOENT; with `processFile`, ESRCH too). Any other failure throws
 * a HostReadError naming the file (permission denied is an error, not absence).
 */
export function readOrNull(path: string, read: ReadText = readUtf8, processFile = false): string | null {
  return fsOrNull(path, () => read(path), processFile ? GONE_PROCESS : GONE_FILE);
}

/** Reads /proc/<pid>/<file>: null when the process is gone. */
function readPidFile(proc: string, pid: number, file: string): string | null {
  return readOrNull(join(proc, String(pid), file), readUtf8, true);
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

/** A process's RSS and PSS, or null when it is gone; throws when smaps_rollup is unreadable or holds no Rss/Pss. */
export function procMemory(pid: number, proc = '/proc'): ProcMemory | null {
  const s = readPidFile(proc, pid, 'smaps_rollup');
  if (s === null) return null;
  const m = parseSmapsRollup(s);
  if (m === null) throw new HostReadError(join(proc, String(pid), 'smaps_rollup'), undefined, 'no Rss/Pss lines');
  return m;
}

/** Proportional set size of a process in bytes, or null when it is gone (throws as procMemory). */
export function pssBytes(pid: number, proc = '/proc'): number | null {
  return procMemory(pid, proc)?.pss ?? null;
}

/** Fields of /proc/<pid>/stat after the parenthesised command (which may hold spaces): [0] is field 3, state. */
function statFields(pid: number, proc: string): string[] | null {
  const stat = readPidFile(proc, pid, 'stat');
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
  return readPidFile(proc, pid, 'comm')?.trim() ?? null;
}

/** Command line of a process as its arguments, or null. */
export function procArgs(pid: number, proc = '/proc'): string[] | null {
  const s = readPidFile(proc, pid, 'cmdline');
  return s === null ? null : s.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
}

/** Pids of all processes now (none when the proc root does not exist; throws when it cannot be listed). */
export function listPids(proc = '/proc'): number[] {
  return (fsOrNull(proc, () => readdirSync(proc)) ?? []).filter((d) => /^\d+$/.test(d)).map(Number);
}

/** Socket inodes a process holds open (fd links "socket:[N]"); empty when the process is gone, throws when its fds are unreadable. */
export function socketInodes(pid: number, proc = '/proc'): Set<number> {
  const out = new Set<number>();
  const dir = join(proc, String(pid), 'fd');
  for (const fd of fsOrNull(dir, () => readdirSync(dir), GONE_PROCESS) ?? []) {
    const link = join(dir, fd);
    const target = fsOrNull(link, () => readlinkSync(link), GONE_PROCESS); // null: closed meanwhile
    const m = target === null ? null : /^socket:\[(\d+)\]$/.exec(target);
    if (m) out.add(Number(m[1]));
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

/** Host memory in use (MemTotal − MemAvailable) and available, in bytes; throws when meminfo is missing or lacks either line. */
export function hostMemory(proc = '/proc'): { used: number; available: number; total: number } {
  const path = join(proc, 'meminfo');
  const s = readOrNull(path);
  if (s === null) throw new HostReadError(path, 'ENOENT', 'no such file or directory');
  const kb = (k: string): number => {
    const m = new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s);
    if (!m) throw new HostReadError(path, undefined, `no ${k} line`);
    return Number(m[1]) * 1024;
  };
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
