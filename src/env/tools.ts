/** Finding tools on PATH and fingerprinting them: version, path, sha256, how they were built. */
import { env } from './environment.js';
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import type { BuildInfo, ToolFingerprint } from '../result/types.js';
import { sha256File } from '../util/hash.js';

/** Absolute path of an executable found on PATH (or the path itself if it contains a slash), else null. */
export function which(name: string, pathEnv = env.path()): string | null {
  const candidates = name.includes('/') ? [name] : pathEnv.split(delimiter).filter(Boolean).map((d) => join(d, name));
  for (const c of candidates) {
    try {
      if (!statSync(c).isFile()) continue;
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** What a version command said: its first output line when it succeeded, else null and why. */
export interface VersionProbe {
  version: string | null;
  /** Why version is null (the command could not run, exited non-zero, timed out, printed nothing); null when it is set. */
  problem: string | null;
}

/**
 * Runs `bin args` (default --version) and takes its first non-empty output line as the version. Only a command that
 * ran and exited 0 gives a version: a usage message printed by a failing command is not one.
 */
export async function probeVersion(bin: string, args: string[] = ['--version']): Promise<VersionProbe> {
  const cmd = [bin, ...args].join(' ');
  try {
    const r = await execa(bin, args, { reject: false, timeout: 10_000, stdin: 'ignore', all: true });
    const line = (r.all ?? '').split('\n').map((l) => l.trim()).find(Boolean) ?? null;
    if (r.timedOut) return { version: null, problem: `\`${cmd}\` timed out after 10 s` };
    if (r.exitCode === undefined) return { version: null, problem: `\`${cmd}\` could not run: ${r.shortMessage ?? r.message}` };
    if (r.exitCode !== 0) return { version: null, problem: `\`${cmd}\` exited ${r.exitCode}${line ? `: ${line.slice(0, 200)}` : ''}` };
    if (line === null) return { version: null, problem: `\`${cmd}\` printed nothing` };
    return { version: line, problem: null };
  } catch (e) {
    return { version: null, problem: `\`${cmd}\` could not run: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The first non-empty output line of `bin args` when it exits 0, else null (see probeVersion for why). */
export async function versionLine(bin: string, args: string[] = ['--version']): Promise<string | null> {
  return (await probeVersion(bin, args)).version;
}

/** Libraries a dynamic executable links (from ldd); empty and static=true for static binaries. */
export async function linkedLibraries(bin: string): Promise<{ libraries: string[]; staticallyLinked: boolean } | null> {
  try {
    const r = await execa('ldd', [bin], { reject: false, timeout: 10_000, stdin: 'ignore', all: true });
    const out = r.all ?? '';
    if (/not a dynamic executable|statically linked/.test(out)) return { libraries: [], staticallyLinked: true };
    if (r.exitCode !== 0) return null;
    const libraries = out
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0] ?? '')
      .filter((l) => l && !l.startsWith('linux-vdso'));
    return { libraries, staticallyLinked: false };
  } catch {
    return null;
  }
}

const fingerprints = new Map<string, Promise<ToolFingerprint>>();

/** Fingerprints a tool binary: resolved path, sha256, version line and linked libraries (memoised per name and path). */
export function fingerprintTool(
  name: string,
  bin: string,
  opts: { versionArgs?: string[]; build?: (libs: string[]) => Partial<BuildInfo> } = {},
): Promise<ToolFingerprint> {
  const key = `${name}\0${bin}`;
  let p = fingerprints.get(key);
  if (!p) {
    p = computeFingerprint(name, bin, opts);
    fingerprints.set(key, p);
  }
  return p;
}

async function computeFingerprint(
  name: string,
  bin: string,
  opts: { versionArgs?: string[]; build?: (libs: string[]) => Partial<BuildInfo> } = {},
): Promise<ToolFingerprint> {
  const path = realpathSync(bin);
  const [sha, probe, libs] = await Promise.all([sha256File(path), probeVersion(bin, opts.versionArgs), linkedLibraries(path)]);
  const build: BuildInfo = {};
  if (libs) {
    build.linkedLibraries = libs.libraries;
    build.staticallyLinked = libs.staticallyLinked;
  }
  Object.assign(build, opts.build?.(libs?.libraries ?? []) ?? {});
  // Why the version is unknown goes with the fingerprint (beside any notes the tool's own build probe wrote).
  if (probe.problem) build.notes = [build.notes, `version unknown: ${probe.problem}`].filter(Boolean).join('; ');
  return { name, version: probe.version, path, sha256: sha, build };
}
