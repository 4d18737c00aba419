/** The width terminal tables are fitted to: --wide or a pipe means unlimited, else COLUMNS or the TTY's width. */
import { processEnv, type EnvSource } from '../env/environment.js';

let wide = false;

/** Set by the CLI's global --wide flag: tables keep their full width. */
export function setWide(on: boolean): void {
  wide = on;
}

/** Columns available to a table: Infinity with --wide; else COLUMNS when set; else the TTY's width; a pipe or file: Infinity. */
export function terminalWidth(env: EnvSource = processEnv(), out: { isTTY?: boolean; columns?: number } = process.stdout): number {
  if (wide) return Infinity;
  const columns = env['COLUMNS'] ?? '';
  if (/^\d+$/.test(columns) && Number(columns) >= 20) return Number(columns);
  if (out.isTTY) return out.columns && out.columns >= 20 ? out.columns : 80;
  return Infinity;
}

/** Removes the global --wide flag (before any "--") from argv, remembering it; returns the rest. */
export function takeWideFlag(argv: readonly string[]): string[] {
  const end = argv.includes('--') ? argv.indexOf('--') : argv.length;
  const rest = argv.filter((a, i) => a !== '--wide' || i > end);
  setWide(rest.length !== argv.length);
  return rest;
}
