/**
 * The runtime builds of scripts/build-runtimes.sh: each lives in <cache>/<name>/ with its build.json record
 * (source sha256, version, variant, compiler, flags, LLVM, build seconds). Finding them, and choosing one by
 * version, as in `--runtime wasmedge@0.14.1` or `wasmedge@0.14.1/llvm`.
 */
import { env } from './environment.js';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildInfo, ToolFingerprint } from '../result/types.js';
import { UserError } from '../util/errors.js';
import { sha256File } from '../util/hash.js';

/** A runtime build named by version is not in the cache: bad input on the command line, "not measured" in a plan. */
export class BuildMissingError extends UserError {}

/** Default install cache of the runtime builds (outside the clone, like the Kubernetes build). */
export const DEFAULT_RUNTIME_CACHE = '/var/cache/edgebench/runtimes';

/** The cache folder in force (EDGEBENCH_RUNTIME_CACHE overrides the default). */
export function runtimeCacheDir(): string {
  return env.runtimeCache() ?? DEFAULT_RUNTIME_CACHE;
}

/** One build found in the cache, from its record. */
export interface RuntimeBuild {
  /** Build name, e.g. "wasmedge-0.14.1-interp". */
  name: string;
  /** What it provides: "wasmedge", "iwasm" or "crun". */
  runtime: string;
  version: string;
  /** "interpreter" | "llvm" (WasmEdge), "fast-interp" (iwasm), "wasmedge" (crun built with it). */
  variant: string;
  /** The version the built binary itself reports. */
  reportedVersion: string;
  /** Install prefix. */
  prefix: string;
  /** Absolute path of the main binary. */
  binary: string;
  binarySha256: string;
  aot: boolean;
  llvmVersion: string | null;
  compiler: string;
  buildSeconds: number;
  linkedLibraries: string[];
  sourceSha256: string | null;
  /** For crun: the WasmEdge build it was compiled against (its libwasmedge is the one loaded by default). */
  wasmedgeBuild: string | null;
  /** Path of build.json. */
  record: string;
}

/** Reads one record; null when it is not a usable build record (a build still running leaves none). */
function readRecord(dir: string, name: string): RuntimeBuild | null {
  const record = join(dir, name, 'build.json');
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(readFileSync(record, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  const str = (k: string): string | null => (typeof r[k] === 'string' ? (r[k] as string) : null);
  const [runtime, version, variant, bin] = [str('runtime'), str('version'), str('variant'), str('binary')];
  if (!runtime || !version || !variant || !bin) return null;
  const binary = join(dir, name, bin);
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return null;
  }
  const compiler = (r['compiler'] as { cc?: unknown } | undefined)?.cc;
  const source = r['source'] as { sha256?: unknown } | undefined;
  const wasmedge = r['wasmedge'] as { build?: unknown; name?: unknown } | string | undefined;
  return {
    name,
    runtime,
    version,
    variant,
    reportedVersion: str('reportedVersion') ?? version,
    prefix: join(dir, name),
    binary,
    binarySha256: str('binarySha256') ?? '',
    aot: r['aot'] === true,
    llvmVersion: str('llvmVersion'),
    compiler: typeof compiler === 'string' ? compiler : 'unknown',
    buildSeconds: typeof r['buildSeconds'] === 'number' ? r['buildSeconds'] : 0,
    linkedLibraries: Array.isArray(r['linkedLibraries']) ? (r['linkedLibraries'] as unknown[]).filter((x): x is string => typeof x === 'string') : [],
    sourceSha256: typeof source?.sha256 === 'string' ? source.sha256 : null,
    wasmedgeBuild: typeof wasmedge === 'string' ? wasmedge : typeof wasmedge?.build === 'string' ? wasmedge.build : typeof wasmedge?.name === 'string' ? wasmedge.name : null,
    record,
  };
}

/** Every complete build in the cache, sorted by runtime, then version, then variant. */
export function listBuilds(dir = runtimeCacheDir()): RuntimeBuild[] {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !/\.(tmp|build)$/.test(e.name)).map((e) => e.name);
  } catch {
    return [];
  }
  const cmpVersion = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });
  return names
    .map((n) => readRecord(dir, n))
    .filter((b): b is RuntimeBuild => b !== null)
    .sort((a, b) => a.runtime.localeCompare(b.runtime) || cmpVersion(a.version, b.version) || a.variant.localeCompare(b.variant));
}

/** A runtime name as given on the command line: "wasmedge", "wasmedge@0.14.1" or "wasmedge@0.14.1/llvm". */
export interface RuntimeSpec {
  /** The registered runtime name ("wasmedge"). */
  base: string;
  /** Requested build version, when one was named. */
  version: string | null;
  /** Requested build variant, when one was named. */
  variant: string | null;
}

/** Splits "name@version[/variant]"; a malformed spec is a UserError naming it. */
export function parseRuntimeSpec(spec: string): RuntimeSpec {
  const at = spec.indexOf('@');
  if (at < 0) return { base: spec, version: null, variant: null };
  const base = spec.slice(0, at);
  const [version, variant, ...rest] = spec.slice(at + 1).split('/');
  if (!base || !version || rest.length || variant === '' || !/^[0-9][0-9A-Za-z.+-]*$/.test(version)) {
    throw new UserError(`--runtime ${spec}: expected NAME@VERSION or NAME@VERSION/VARIANT (e.g. wasmedge@0.14.1, wasmedge@0.14.1/llvm)`);
  }
  return { base, version, variant: variant ?? null };
}

/** One line per build, as listed in errors: "wasmedge 0.14.1/interpreter (wasmedge-0.14.1-interp)". */
export function describeBuilds(builds: readonly RuntimeBuild[]): string {
  return builds.length ? builds.map((b) => `${b.runtime} ${b.version}/${b.variant}`).join(', ') : `none (build them: bash scripts/build-runtimes.sh build; cache ${runtimeCacheDir()})`;
}

/**
 * The build of `runtime` (e.g. "wasmedge") at `version`, of `variant` when named, else of the first of
 * `preferred` variants present. Unknown version or variant → UserError listing the builds present.
 */
export function chooseBuild(runtime: string, version: string, variant: string | null, preferred: readonly string[], why: string, dir = runtimeCacheDir()): RuntimeBuild {
  if (variant && !preferred.includes(variant)) throw new UserError(`${why || runtime} runs on ${preferred.join(' or ')} builds of ${runtime}, not ${variant}`);
  const all = listBuilds(dir).filter((b) => b.runtime === runtime);
  const atVersion = all.filter((b) => b.version === version || b.reportedVersion === version);
  const allowed = variant ? [variant] : preferred;
  const pick = allowed.map((v) => atVersion.find((b) => b.variant === v)).find((b) => b !== undefined);
  if (pick) return pick;
  const what = variant ? `${runtime} ${version}/${variant}` : `${runtime} ${version}${preferred.length ? ` (${preferred.join(' or ')})` : ''}`;
  throw new BuildMissingError(`no ${what} build ${why ? `for ${why} ` : ''}in ${dir}; builds present: ${describeBuilds(all)}`);
}

/** The newest build of `runtime` among the variants `preferred` (first variant that has any), or null. */
export function newestBuild(runtime: string, preferred: readonly string[], dir = runtimeCacheDir()): RuntimeBuild | null {
  const all = listBuilds(dir).filter((b) => b.runtime === runtime);
  for (const v of preferred) {
    const of = all.filter((b) => b.variant === v);
    if (of.length) return of[of.length - 1] as RuntimeBuild;
  }
  return null;
}

/** The WasmEdge build a crun build was compiled against (its libwasmedge is loaded by default), or null. */
export function compiledAgainst(b: RuntimeBuild, builds: readonly RuntimeBuild[] = listBuilds()): RuntimeBuild | null {
  return b.wasmedgeBuild ? (builds.find((x) => x.name === b.wasmedgeBuild) ?? null) : null;
}

/** A tool fingerprint with the build's record facts laid over what the binary itself said. */
export function withBuild(fp: ToolFingerprint, b: RuntimeBuild, extra: Partial<BuildInfo> = {}): ToolFingerprint {
  return { ...fp, build: { ...fp.build, ...buildInfoOf(b), ...extra } };
}

/** Fingerprint of the libwasmedge.so.0 of a WasmEdge build, as loaded by a Wasm container (sha256 null when unreadable). */
export async function libwasmedgeTool(b: RuntimeBuild): Promise<ToolFingerprint> {
  const lib = join(b.prefix, 'lib', 'libwasmedge.so.0');
  return { name: 'libwasmedge', version: b.reportedVersion, path: lib, sha256: await sha256File(lib).catch(() => null), build: buildInfoOf(b) };
}

/** Build facts for a result's tool fingerprint, from the record. */
export function buildInfoOf(b: RuntimeBuild): BuildInfo {
  const facts = [`build ${b.name} (${b.variant}${b.llvmVersion ? `, LLVM ${b.llvmVersion}` : ''}; ${b.compiler}; source sha256 ${b.sourceSha256?.slice(0, 12) ?? '?'}; record ${b.record})`];
  if (b.wasmedgeBuild) facts.push(`compiled against ${b.wasmedgeBuild}`);
  return { linkedLibraries: b.linkedLibraries, staticallyLinked: false, aot: b.aot, notes: facts.join('; ') };
}
