/** Suite settings given with `run --set KEY=VALUE`: range-checked reads and refusal of unknown keys. */
import { UserError } from '../util/errors.js';

/** Settings as they arrive in SuiteParams.extra. */
export type Settings = Record<string, string | number>;

/** Integer settings a suite knows: key → [default, min, max]. */
export type IntTable = Record<string, readonly [number, number, number]>;

/** Reads a whole-number setting within [min, max], or its default when absent or empty. */
export function intSetting(extra: Settings, key: string, dflt: number, min: number, max: number): number {
  const v = extra[key];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`--set ${key}=${v}: expected a whole number in ${min}..${max}`);
  return n;
}

/** Reads a number setting within [min, max], or its default when absent. */
export function numberSetting(extra: Settings, key: string, dflt: number, min: number, max: number): number {
  const v = extra[key];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new UserError(`--set ${key}=${v}: expected a number in ${min}..${max}`);
  return n;
}

/** Reads an integer setting declared in a table. */
export function tableInt(extra: Settings, table: IntTable, key: string): number {
  const spec = table[key];
  if (!spec) throw new Error(`setting ${key} is not declared`);
  return intSetting(extra, key, ...spec);
}

/** Refuses keys the suite does not know, then range-checks every integer of the table. */
export function checkSettings(extra: Settings, suite: string, table: IntTable, otherKeys: readonly string[] = []): void {
  const known = [...new Set([...Object.keys(table), ...otherKeys])];
  for (const k of Object.keys(extra)) if (!known.includes(k)) throw new UserError(`--set ${k}: not a ${suite} setting (known: ${known.join(', ')})`);
  for (const k of Object.keys(table)) tableInt(extra, table, k);
}
