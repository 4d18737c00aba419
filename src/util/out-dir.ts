/**
 * Output folders checked before anything starts: `--out` must be (or be creatable as) a folder on a filesystem that
 * stores files, and writable — proven by writing a file there, since root passes every permission check that a
 * read-only mount or a kernel filesystem still refuses. A refusal is a UserError (exit 2) and leaves nothing behind.
 */
import { mkdirSync, rmdirSync, readdirSync, statSync, statfsSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError, errorMessage } from './errors.js';

/** Filesystems that hold kernel interfaces, not files (statfs f_type). */
const SPECIAL_FS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0x62656570, 'configfs'],
  [0x1cd1, 'devpts'],
  [0x65735543, 'fusectl'],
  [0xde5e81e4, 'efivarfs'],
  [0xf97cff8c, 'selinuxfs'],
  [0x19800202, 'mqueue'],
  [0x42494e4d, 'binfmt_misc'],
  [0x6e736673, 'nsfs'],
  [0x958458f6, 'hugetlbfs'],
]);

/** The name of the special filesystem `path` is on, or null for an ordinary one (or where statfs cannot tell). */
export function specialFilesystem(path: string): string | null {
  try {
    return SPECIAL_FS.get(Number(statfsSync(path).type)) ?? null;
  } catch {
    return null;
  }
}

/** A run's output folder, created and proven writable. */
export interface OutDir {
  /** The run folder (root/runId). */
  dir: string;
  /** Removes the run folder, and the folders created for it, when nothing was written there (after a refusal). */
  removeIfEmpty(): void;
}

/**
 * Checks `root` (the `--out` value) and creates `root/runId` in it. Refused (UserError naming `flag`): a path
 * component that is a file, a kernel filesystem (/proc, /sys, cgroup, …), or a folder where a file cannot be written.
 */
export function prepareOutDir(root: string, runId: string, flag = '--out'): OutDir {
  const abs = resolve(root);
  // The nearest existing ancestor decides: it must be a folder on an ordinary filesystem.
  let existing = abs;
  for (;;) {
    try {
      const st = statSync(existing);
      if (!st.isDirectory()) throw new UserError(`${flag} ${root}: ${existing === abs ? 'exists and is not a folder' : `${existing} is a file, not a folder`}`);
      break;
    } catch (e) {
      if (e instanceof UserError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES') throw new UserError(`${flag} ${root}: cannot reach ${existing} (permission denied)`);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new UserError(`${flag} ${root}: cannot use ${existing} (${errorMessage(e)})`);
      const up = dirname(existing);
      if (up === existing) break;
      existing = up;
    }
  }
  const fs = specialFilesystem(existing);
  if (fs) throw new UserError(`${flag} ${root}: ${existing} is on ${fs}, a kernel filesystem, not storage for results`);
  const dir = join(abs, runId);
  // Folders this call creates, deepest last, so a refusal can remove exactly those.
  const created: string[] = [];
  for (let p = dir; p !== existing && p !== dirname(p); p = dirname(p)) created.unshift(p);
  const removeIfEmpty = (): void => {
    for (const p of [...created].reverse()) {
      try {
        if (readdirSync(p).length > 0) return;
        rmdirSync(p);
      } catch {
        return;
      }
    }
  };
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.edgebench-write-check-${process.pid}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (e) {
    removeIfEmpty();
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EROFS' ? 'read-only filesystem' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : errorMessage(e);
    throw new UserError(`${flag} ${root}: cannot write there (${why})`);
  }
  return { dir, removeIfEmpty };
}
