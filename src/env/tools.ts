/** Finding tools on PATH and fingerprinting them: version, path, sha256, how they were built. */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import type { BuildInfo, ToolFingerprint } from '../result/types.js';
import { sha256File } from '../util/hash.js';

/** Absolute path of an executable found on PATH (or the path itself if it contains a slash), else null. */
export function which(name: string, pathEnv = process.env['PATH'] ?? ''): string | null {
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

/** Runs `bin args` and returns the first non-empty output line, or null if it fails. */
export async function versionLine(bin: string, args: string[] = ['--version']): Promise<string | null> {
  try {
    const r = await execa(bin, args, { reject: false, timeout: 10_000, stdin: 'ignore', all: true });
    const line = (r.all ?? '').split('\n').map((l) => l.trim()).find(Boolean);
    return r.exitCode === 0 && line ? line : line ?? null;
  } catch {
    return null;
  }
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
  const [sha, version, libs] = await Promise.all([sha256File(path), versionLine(bin, opts.versionArgs), linkedLibraries(path)]);
  const build: BuildInfo = {};
  if (libs) {
    build.linkedLibraries = libs.libraries;
    build.staticallyLinked = libs.staticallyLinked;
  }
  Object.assign(build, opts.build?.(libs?.libraries ?? []) ?? {});
  return { name, version, path, sha256: sha, build };
}
