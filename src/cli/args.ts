/** Strict argument parsing (node:util parseArgs) that turns every mistake into a one-line UserError. */
import { parseArgs } from 'node:util';
import { UserError } from '../util/errors.js';

/** Declaration of one flag. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
}

/** Parsed values typed from the flag declarations. */
export type FlagValues<O extends Record<string, FlagSpec>> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { multiple: true } ? string[] : string;
};

/** Parses argv strictly: unknown flags, missing values and stray positionals are user errors. */
export function parse<O extends Record<string, FlagSpec>>(command: string, argv: string[], options: O, allowPositionals = false): { values: FlagValues<O>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, strict: true, allowPositionals });
    return { values: r.values as FlagValues<O>, positionals: r.positionals };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new UserError(`${command}: ${msg?.replace(/\. To specify a positional argument.*$/, '')}`);
  }
}

/** Parses a whole number within [min, max]. */
export function intFlag(flag: string, value: string | undefined, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return dflt;
  if (!/^\d+$/.test(value)) throw new UserError(`--${flag}: "${value}" is not a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new UserError(`--${flag}: ${n} is outside ${min}..${max}`);
  return n;
}

/** Parses a number within [min, max]. */
export function numberFlag(flag: string, value: string | undefined, dflt: number, min: number, max: number): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (!Number.isFinite(n) || value.trim() === '') throw new UserError(`--${flag}: "${value}" is not a number`);
  if (n < min || n > max) throw new UserError(`--${flag}: ${n} is outside ${min}..${max}`);
  return n;
}

/** Splits a comma-separated list flag into trimmed non-empty items. */
export function listFlag(value: string | undefined, dflt: string[]): string[] {
  if (value === undefined) return dflt;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UserError(`empty list "${value}"`);
  return items;
}

/** Picks one of the allowed values. */
export function choiceFlag<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], dflt: T): T {
  if (value === undefined) return dflt;
  if (!(allowed as readonly string[]).includes(value)) throw new UserError(`--${flag}: "${value}" is not one of ${allowed.join(', ')}`);
  return value as T;
}
