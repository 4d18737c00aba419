/** Targets register themselves here by layer and runtime name. */
import { parseRuntimeSpec } from '../env/runtime-builds.js';
import type { Layer } from '../result/types.js';
import { UserError } from '../util/errors.js';
import type { Target, TargetFactory } from './target.js';

/** What a registered target can be asked for beyond its options. */
export interface TargetTraits {
  /** Runs on a build of scripts/build-runtimes.sh chosen by version: `NAME@VERSION[/VARIANT]` (the options get build-version, build-variant). */
  builds?: string;
}

const factories = new Map<string, { layer: Layer; runtime: string; factory: TargetFactory; traits: TargetTraits }>();

/** Registers a target factory under layer/runtime. */
export function registerTarget(layer: Layer, runtime: string, factory: TargetFactory, traits: TargetTraits = {}): void {
  const key = `${layer}/${runtime}`;
  if (factories.has(key)) throw new Error(`target ${key} registered twice`);
  factories.set(key, { layer, runtime, factory, traits });
}

/** Runtime names registered for a layer, in registration order. */
export function runtimesOf(layer: Layer): string[] {
  return [...factories.values()].filter((f) => f.layer === layer).map((f) => f.runtime);
}

/** Instantiates a registered target; unknown names are a user error naming the choices. */
export function createTarget(layer: Layer, runtime: string, options: Record<string, string> = {}): Target {
  const spec = parseRuntimeSpec(runtime);
  const entry = factories.get(`${layer}/${spec.base}`);
  if (!entry) {
    const known = runtimesOf(layer);
    throw new UserError(`unknown runtime "${spec.base}" for layer ${layer} (known: ${known.length ? known.join(', ') : 'none'})`);
  }
  if (spec.version === null) return entry.factory(options);
  if (!entry.traits.builds) throw new UserError(`--runtime ${runtime}: ${layer}/${spec.base} is not chosen by version (runtimes that are: ${versionedRuntimes(layer).join(', ') || 'none'})`);
  if (options['bin']) throw new UserError(`--runtime ${runtime} with --opt bin=${options['bin']}: name a build by version or a binary, not both`);
  return entry.factory({ ...options, 'build-version': spec.version, ...(spec.variant ? { 'build-variant': spec.variant } : {}) });
}

/** Runtimes of a layer that run on a build chosen by version, with what the version names. */
export function versionedRuntimes(layer: Layer): string[] {
  return [...factories.values()].filter((f) => f.layer === layer && f.traits.builds).map((f) => `${f.runtime}@VERSION (${f.traits.builds})`);
}
