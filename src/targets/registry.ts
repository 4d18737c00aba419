/** Targets register themselves here by layer and runtime name. */
import { parseRuntimeSpec } from '../env/runtime-builds.js';
import type { Layer } from '../result/types.js';
import { UserError } from '../util/errors.js';
import { BUILD_OPTIONS, COMMON_OPTIONS, KEBAB, checkValue, resolveOptions, type OptionSpec } from './options.js';
import type { Target, TargetFactory } from './target.js';

/** What a registered target can be asked for beyond its options. */
export interface TargetTraits {
  /** Runs on a build of scripts/build-runtimes.sh chosen by version: `NAME@VERSION[/VARIANT]` (the options get build-version, build-variant). */
  builds?: string;
  /** The `--opt` keys it reads besides COMMON_OPTIONS (and BUILD_OPTIONS with `builds`); others are refused. */
  options?: readonly OptionSpec[];
}

const factories = new Map<string, { layer: Layer; runtime: string; factory: TargetFactory; traits: TargetTraits }>();

/** Registers a target factory under layer/runtime. */
export function registerTarget(layer: Layer, runtime: string, factory: TargetFactory, traits: TargetTraits = {}): void {
  const key = `${layer}/${runtime}`;
  if (factories.has(key)) throw new Error(`target ${key} registered twice`);
  checkDeclarations(key, declaredOptions(traits));
  factories.set(key, { layer, runtime, factory, traits });
}

/** The options a target with these traits accepts: the common ones, the build ones when chosen by version, its own. */
function declaredOptions(traits: TargetTraits): OptionSpec[] {
  return [...COMMON_OPTIONS, ...(traits.builds ? BUILD_OPTIONS : []), ...(traits.options ?? [])];
}

/** Refuses (as a programming error) duplicate or non-kebab-case keys and defaults their own check refuses. */
function checkDeclarations(target: string, specs: readonly OptionSpec[]): void {
  const seen = new Set<string>();
  for (const s of specs) {
    for (const k of [s.key, ...(s.aliases ?? [])]) {
      if (seen.has(k)) throw new Error(`target ${target}: option ${k} declared twice`);
      seen.add(k);
    }
    if (!s.internal && !KEBAB.test(s.key)) throw new Error(`target ${target}: option ${s.key} is not kebab-case`);
    if (s.default !== undefined) checkValue(s, s.default);
  }
}

/** The options a registered target accepts (common ones first), or null for an unknown target. */
export function optionsOf(layer: Layer, runtime: string): OptionSpec[] | null {
  const entry = factories.get(`${layer}/${parseRuntimeSpec(runtime).base}`);
  return entry ? declaredOptions(entry.traits) : null;
}

/** Runtime names registered for a layer, in registration order. */
export function runtimesOf(layer: Layer): string[] {
  return [...factories.values()].filter((f) => f.layer === layer).map((f) => f.runtime);
}

/**
 * Instantiates a registered target; unknown names are a user error naming the choices. The options are checked
 * against the target's declarations first (unknown key, bad value → UserError), their variables and defaults filled in.
 */
export function createTarget(layer: Layer, runtime: string, options: Record<string, string> = {}): Target {
  const spec = parseRuntimeSpec(runtime);
  const entry = factories.get(`${layer}/${spec.base}`);
  if (!entry) {
    const known = runtimesOf(layer);
    throw new UserError(`unknown runtime "${spec.base}" for layer ${layer} (known: ${known.length ? known.join(', ') : 'none'})`);
  }
  if (spec.version !== null && !entry.traits.builds)
    throw new UserError(
      `--runtime ${runtime}: ${layer}/${spec.base} is not chosen by version (runtimes that are: ${versionedRuntimes(layer).join(', ') || 'none'})`,
    );
  const checked = resolveOptions(optionsOf(layer, spec.base) ?? [], options, `${layer}/${spec.base}`);
  if (spec.version === null) return entry.factory(checked);
  if (options['bin']) throw new UserError(`--runtime ${runtime} with --opt bin=${options['bin']}: name a build by version or a binary, not both`);
  return entry.factory({ ...checked, 'build-version': spec.version, ...(spec.variant ? { 'build-variant': spec.variant } : {}) });
}

/** Runtimes of a layer that run on a build chosen by version, with what the version names. */
export function versionedRuntimes(layer: Layer): string[] {
  return [...factories.values()].filter((f) => f.layer === layer && f.traits.builds).map((f) => `${f.runtime}@VERSION (${f.traits.builds})`);
}
