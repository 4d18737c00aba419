/** Targets register themselves here by layer and runtime name. */
import type { Layer } from '../result/types.js';
import { UserError } from '../util/errors.js';
import type { Target, TargetFactory } from './target.js';

const factories = new Map<string, { layer: Layer; runtime: string; factory: TargetFactory }>();

/** Registers a target factory under layer/runtime. */
export function registerTarget(layer: Layer, runtime: string, factory: TargetFactory): void {
  const key = `${layer}/${runtime}`;
  if (factories.has(key)) throw new Error(`target ${key} registered twice`);
  factories.set(key, { layer, runtime, factory });
}

/** Runtime names registered for a layer, in registration order. */
export function runtimesOf(layer: Layer): string[] {
  return [...factories.values()].filter((f) => f.layer === layer).map((f) => f.runtime);
}

/** Instantiates a registered target; unknown names are a user error naming the choices. */
export function createTarget(layer: Layer, runtime: string, options: Record<string, string> = {}): Target {
  const entry = factories.get(`${layer}/${runtime}`);
  if (!entry) {
    const known = runtimesOf(layer);
    throw new UserError(`unknown runtime "${runtime}" for layer ${layer} (known: ${known.length ? known.join(', ') : 'none'})`);
  }
  return entry.factory(options);
}
