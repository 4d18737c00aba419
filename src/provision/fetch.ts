/** Controller-side artifact cache: download, verify sha256, keep by digest. Nothing reaches the target unverified. */
import { env } from '../env/environment.js';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { UserError, errorMessage } from '../util/errors.js';
import { sha256File } from '../util/hash.js';
import type { PinnedArtifact } from './types.js';

/** Downloads in progress (removed by removePartials on interrupt). */
const partials = new Set<string>();

/** Deletes downloads in progress (called on SIGINT before exiting). */
export function removePartials(): void {
  for (const p of partials) rmSync(p, { force: true });
  partials.clear();
}

/** Default cache directory ($XDG_CACHE_HOME/edgebench/artifacts). */
export function defaultCacheDir(): string {
  return join(env.xdgCacheHome() ?? join(homedir(), '.cache'), 'edgebench', 'artifacts');
}

/** Path of an artifact in the cache (by digest). */
export function cachedPath(cacheDir: string, sha: string): string {
  return join(cacheDir, sha);
}

/** Whether the cache already holds a verified copy. */
export async function isCached(cacheDir: string, a: PinnedArtifact): Promise<boolean> {
  const p = cachedPath(cacheDir, a.sha256);
  return existsSync(p) && (await sha256File(p)) === a.sha256;
}

/** Downloads `a` into the cache and verifies it; a mismatch deletes the download and is one UserError line. */
export async function fetchVerified(cacheDir: string, a: PinnedArtifact): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const final = cachedPath(cacheDir, a.sha256);
  if (await isCached(cacheDir, a)) return final;
  const tmp = join(cacheDir, `.part-${process.pid}-${a.sha256.slice(0, 12)}`);
  partials.add(tmp);
  try {
    let body: Readable;
    if (a.url.startsWith('file://')) {
      body = createReadStream(fileURLToPath(a.url));
    } else {
      let res: Response;
      try {
        res = await fetch(a.url, { redirect: 'follow', signal: AbortSignal.timeout(600_000) });
      } catch (e) {
        throw new UserError(`downloading ${a.name} from ${a.url} failed: ${errorMessage((e as { cause?: unknown }).cause ?? e)}`);
      }
      if (!res.ok || !res.body) throw new UserError(`downloading ${a.name} from ${a.url} failed: HTTP ${res.status}`);
      body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
    }
    await pipeline(body, createWriteStream(tmp));
    const got = await sha256File(tmp);
    if (got !== a.sha256) throw new UserError(`sha256 mismatch for ${a.name} from ${a.url}: expected ${a.sha256}, got ${got} — nothing was changed on the target`);
    renameSync(tmp, final);
    return final;
  } finally {
    rmSync(tmp, { force: true });
    partials.delete(tmp);
  }
}
