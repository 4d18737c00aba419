/** The colour and line style of a runtime's series within a chart. No I/O. */
import { DASHES, PALETTE } from './colours.js';

/** Runtime label → colour, made once per report (runtimeColours). */
export type Colours = ReadonlyMap<string, string>;

/** A runtime's colour (a label the report did not list gets the palette's first colour). */
export function colourOf(c: Colours, runtime: string): string {
  return c.get(runtime) ?? (PALETTE[0] as string);
}

/** Hands out dash patterns: a runtime's first series in a chart is solid, its next ones dashed. */
export function dasher(): (runtime: string) => string {
  const seen = new Map<string, number>();
  return (runtime) => {
    const k = seen.get(runtime) ?? 0;
    seen.set(runtime, k + 1);
    return DASHES[k % DASHES.length] as string;
  };
}
