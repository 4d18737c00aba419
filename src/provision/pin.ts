/**
 * `edgebench provision pin`: fills the catalogue's sha256 fields from the checksum files the upstream
 * projects publish with each release, after downloading the artifact and checking that its bytes
 * match; where a project publishes none, from the user's own download, shown with its sha256 and
 * written only after confirmation. Each pinned entry gets a `source:` saying where the checksum
 * came from. The catalogue is rewritten atomically (temp file + rename) with its comments and
 * layout kept; a mismatch, a missing entry or a refused confirmation writes nothing.
 *
 * Upstream layout relied on (see docs/edge-box.md, "Pinning a release"):
 * - K3s: each release publishes sha256sum-<arch>.txt (sha256sum format) next to its assets; its
 *   install.sh verifies `k3s${SUFFIX}` against it. install.sh itself (raw.githubusercontent.com at
 *   the tag) is not a release asset and has no published checksum.
 * - WasmEdge: releases after 0.11.2 publish a file SHA256SUM next to their assets.
 * - runwasi: SHA256SUMS in the release assets only since containerd/runwasi#1109 (2026); the
 *   catalogue's shim releases (0.4.0, 0.6.0) predate it, so they take the own-download path.
 */
import { createWriteStream, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { isMap, parseDocument, Scalar } from 'yaml';
import { UserError, errorMessage } from '../util/errors.js';
import { sha256File } from '../util/hash.js';
import { loadCatalogue, type Catalogue } from './catalogue.js';
import { ARCHES, type Arch } from './types.js';

export const COMPONENTS = ['k3s', 'wasmedge', 'shim'] as const;
export type Component = (typeof COMPONENTS)[number];

/** Parts of a version entry, per component ('' = the entry itself is per-arch: the shim). */
const PARTS: Record<Component, readonly string[]> = {
  k3s: ['installer', 'binary', 'airgapImages'],
  wasmedge: ['runtime', 'wasiNnGgml', 'wasiNnGgmlCuda'],
  shim: [''],
};

/** One artifact to pin. */
export interface PinTarget {
  /** Dotted path in the catalogue, e.g. "k3s.v1.31.2+k3s1.binary.amd64". */
  pinPath: string;
  /** YAML key path. */
  keys: string[];
  url: string;
  current: string | null;
  /** Published checksum file for it, or null when the project publishes none. */
  checksumUrl: string | null;
  /** Whether a missing (404) checksum file means "none published" (own download) rather than a refusal. */
  checksumOptional: boolean;
}

export interface PinOptions {
  catalogueFile: string;
  component: Component;
  version: string;
  arches?: Arch[] | undefined;
  parts?: string[] | undefined;
  /** Fetch from here instead of https://github.com / https://raw.githubusercontent.com (same paths below). */
  mirror?: string | undefined;
  /** A checksum file (sha256sum format) to use for every selected artifact instead of the project's. */
  checksums?: string | undefined;
  /** Pin from the checksum file without downloading the artifact (the bytes are checked at provisioning). */
  noDownload?: boolean | undefined;
  /** Confirms own-download checksums (no published checksum) without asking. */
  yes?: boolean | undefined;
  /** Asks the user to confirm own-download checksums (interactive); absent → not confirmed. */
  confirm?: ((question: string) => Promise<boolean>) | undefined;
  log: (line: string) => void;
}

export interface PinResult {
  pinPath: string;
  sha256: string;
  source: string;
  changed: boolean;
}

const HEX = /^[0-9a-f]{64}$/;

/** The artifacts of one catalogue version that `pin` would fill, with their checksum files. */
export function pinTargets(cat: Catalogue, component: Component, version: string, arches?: Arch[], parts?: string[]): PinTarget[] {
  const table = cat[component] as Record<string, unknown>;
  if (!Object.hasOwn(table, version)) {
    throw new UserError(`provision pin: unknown ${component} version ${JSON.stringify(version)} (catalogue ${cat.file} lists: ${Object.keys(table).join(', ')}; add an entry with its URLs first)`);
  }
  const entry = table[version] as Record<string, unknown>;
  const known = PARTS[component].filter((p) => p === '' || entry[p] !== undefined);
  if (parts) {
    if (component === 'shim') throw new UserError('provision pin: --part does not apply to the shim (its entry has one artifact per arch)');
    for (const p of parts) if (!known.includes(p)) throw new UserError(`provision pin: ${component} ${version} has no part "${p}" (it has: ${known.join(', ')})`);
  }
  const out: PinTarget[] = [];
  for (const part of parts ?? known) {
    const base = part === '' ? [component, version] : [component, version, part];
    const node = part === '' ? entry : entry[part];
    if (component === 'k3s' && part === 'installer') {
      const a = node as { url: string; sha256: string | null };
      out.push({ pinPath: base.join('.'), keys: base, url: a.url, current: a.sha256, checksumUrl: null, checksumOptional: true });
      continue;
    }
    const per = node as Partial<Record<Arch, { url: string; sha256: string | null }>>;
    for (const arch of arches ?? ARCHES) {
      const a = per[arch];
      if (!a) {
        if (arches) throw new UserError(`provision pin: ${base.join('.')} has no ${arch} artifact in ${cat.file}`);
        continue;
      }
      const checksumName = component === 'k3s' ? `sha256sum-${arch}.txt` : component === 'wasmedge' ? 'SHA256SUM' : 'SHA256SUMS';
      out.push({ pinPath: [...base, arch].join('.'), keys: [...base, arch], url: a.url, current: a.sha256, checksumUrl: new URL(checksumName, a.url).href, checksumOptional: component !== 'k3s' });
    }
  }
  return out;
}

/** The file name an artifact is listed under in a checksum file (the URL's last segment, decoded). */
export function assetName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
}

/** Parses a sha256sum-format file ("<hex>  name" or "<hex> *name") into name → hex; conflicting lines are refused. */
export function parseChecksums(text: string, where: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const r = /^([0-9a-fA-F]{64}) [ *]?(.+)$/.exec(line.trim());
    if (!r) continue;
    const name = basename(r[2]!.trim());
    const hex = r[1]!.toLowerCase();
    const prev = m.get(name);
    if (prev !== undefined && prev !== hex) throw new UserError(`provision pin: ${where} lists ${name} twice with different sha256s (${prev}, ${hex}); nothing written`, 1);
    m.set(name, hex);
  }
  return m;
}

/** The URL actually fetched: the mirror replaces GitHub's origins, keeping the path. */
export function viaMirror(url: string, mirror: string | undefined): string {
  if (!mirror) return url;
  const u = new URL(url);
  if (u.origin !== 'https://github.com' && u.origin !== 'https://raw.githubusercontent.com') return url;
  return mirror.replace(/\/+$/, '') + u.pathname + u.search;
}

async function get(url: string, what: string): Promise<Response> {
  try {
    return await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(600_000) });
  } catch (e) {
    throw new UserError(`provision pin: fetching ${what} from ${url} failed: ${errorMessage((e as { cause?: unknown }).cause ?? e)}; nothing written`, 1);
  }
}

/** Fetches a checksum file; null when it does not exist (HTTP 404). */
async function fetchChecksumFile(url: string): Promise<Map<string, string> | null> {
  if (url.startsWith('file://')) {
    try {
      return parseChecksums(readFileSync(fileURLToPath(url), 'utf8'), url);
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(`provision pin: reading checksum file ${url} failed: ${errorMessage(e)}`);
    }
  }
  const res = await get(url, 'the checksum file');
  if (res.status === 404) return null;
  if (!res.ok) throw new UserError(`provision pin: fetching the checksum file ${url} failed: HTTP ${res.status}; nothing written`, 1);
  return parseChecksums(await res.text(), url);
}

/** Downloads into dir and returns the file's sha256 (the file is removed afterwards by the caller's cleanup). */
async function downloadSha(url: string, dir: string): Promise<string> {
  const tmp = join(dir, `dl-${Math.random().toString(36).slice(2)}`);
  let body: Readable;
  if (url.startsWith('file://')) body = Readable.from(readFileSync(fileURLToPath(url)));
  else {
    const res = await get(url, 'the artifact');
    if (!res.ok || !res.body) throw new UserError(`provision pin: downloading ${url} failed: HTTP ${res.status}; nothing written`, 1);
    body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
  }
  try {
    await pipeline(body, createWriteStream(tmp));
    return await sha256File(tmp);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Resolves every selected artifact's sha256 and source, then writes them all or nothing. */
export async function pin(o: PinOptions): Promise<PinResult[]> {
  const cat = loadCatalogue(o.catalogueFile);
  const targets = pinTargets(cat, o.component, o.version, o.arches, o.parts);
  const checksumFiles = new Map<string, Map<string, string> | null>();
  const results: PinResult[] = [];
  const ownDownloads: PinResult[] = [];
  const work = mkdtempSync(join(tmpdir(), 'eb-pin-'));
  try {
    for (const t of targets) {
      const fetchUrl = viaMirror(t.url, o.mirror);
      const checksumUrl = o.checksums ?? t.checksumUrl;
      const name = assetName(t.url);
      let published: string | null = null;
      let source: string;
      if (checksumUrl) {
        const csFetch = o.checksums ? checksumUrl : viaMirror(checksumUrl, o.mirror);
        if (!checksumFiles.has(csFetch)) checksumFiles.set(csFetch, await fetchChecksumFile(csFetch));
        const sums = checksumFiles.get(csFetch)!;
        if (sums === null && (o.checksums || !t.checksumOptional)) {
          throw new UserError(`provision pin: checksum file ${csFetch} not found (HTTP 404) for ${t.pinPath}; nothing written`, 1);
        }
        if (sums !== null) {
          published = sums.get(name) ?? null;
          if (published === null) {
            throw new UserError(`provision pin: ${csFetch} does not list ${name} (${t.pinPath}; it lists: ${[...sums.keys()].join(', ') || 'nothing'}); nothing written`, 1);
          }
        } else o.log(`${t.pinPath}: no checksum published (${csFetch}: HTTP 404); pinning your own download`);
      }
      if (published !== null) {
        const csSource = o.checksums ?? checksumUrl!;
        if (o.noDownload) {
          source = `${csSource} (not downloaded: bytes checked at provisioning)`;
        } else {
          o.log(`${t.pinPath}: downloading ${fetchUrl}`);
          const got = await downloadSha(fetchUrl, work);
          if (got !== published) {
            throw new UserError(`provision pin: sha256 mismatch for ${t.pinPath}: ${fetchUrl} has ${got}, ${o.checksums ?? viaMirror(checksumUrl!, o.mirror)} says ${published}; nothing written`, 1);
          }
          source = `${csSource} (download matched)`;
        }
        results.push({ pinPath: t.pinPath, sha256: published, source, changed: t.current !== published });
      } else {
        o.log(`${t.pinPath}: downloading ${fetchUrl} (no published checksum)`);
        const got = await downloadSha(fetchUrl, work);
        const r = { pinPath: t.pinPath, sha256: got, source: `user download of ${fetchUrl}, sha256 shown and confirmed`, changed: t.current !== got };
        results.push(r);
        ownDownloads.push(r);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  // A pin already there and different: refuse rather than overwrite silently.
  for (const [i, t] of targets.entries()) {
    const r = results[i]!;
    if (t.current !== null && t.current !== r.sha256) {
      throw new UserError(`provision pin: ${t.pinPath} is already pinned to ${t.current} in ${cat.file}, but ${r.source.startsWith('user download') ? 'your download has' : 'the published checksum is'} ${r.sha256}; nothing written (set it to null by hand to re-pin)`, 1);
    }
  }

  if (ownDownloads.length) {
    for (const r of ownDownloads) process.stdout.write(`${r.pinPath}  sha256 ${r.sha256}  (no published checksum: compare with a copy you trust)\n`);
    let ok = o.yes === true;
    if (!ok && o.confirm) ok = await o.confirm(`write ${ownDownloads.length === 1 ? 'this sha256' : `these ${ownDownloads.length} sha256s`} into ${cat.file}? [y/N] `);
    if (!ok) throw new UserError(`provision pin: ${ownDownloads.length} artifact(s) have no published checksum (${ownDownloads.map((r) => r.pinPath).join(', ')}): check the sha256 shown above and rerun with --yes to pin them; nothing written`);
  }

  if (results.some((r) => r.changed)) writeCatalogue(cat.file, targets, results);
  return results;
}

/** Sets sha256 + source on each target in the YAML document (comments and layout kept), validates, renames over the file. */
function writeCatalogue(file: string, targets: PinTarget[], results: PinResult[]): void {
  const text = readFileSync(file, 'utf8');
  const doc = parseDocument(text);
  const quoted = (s: string): Scalar => {
    const n = new Scalar(s);
    n.type = Scalar.QUOTE_DOUBLE;
    return n;
  };
  for (const [i, t] of targets.entries()) {
    const r = results[i]!;
    if (!r.changed) continue;
    const node = doc.getIn(t.keys, true);
    if (!isMap(node)) throw new Error(`catalogue ${file}: ${t.pinPath} is not a mapping`);
    if (!HEX.test(r.sha256)) throw new Error(`not a sha256: ${r.sha256}`);
    node.set('sha256', quoted(r.sha256));
    node.set('source', quoted(r.source));
  }
  const tmp = join(dirname(file), `.${basename(file)}.pin-${process.pid}.tmp`);
  try {
    writeFileSync(tmp, doc.toString({ lineWidth: 0 }), { mode: statSync(file).mode & 0o777 });
    loadCatalogue(tmp); // what is renamed over the catalogue is a valid catalogue
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}
