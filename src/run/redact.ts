/**
 * What a result may keep of settings that can hold secrets. Hook commands (a suite's `commandSettings`, e.g.
 * offline's partition-cmd, which may carry a token) are stored as a hash, so two runs can be told apart
 * without the command being readable; target options whose name says secret are stored as "[redacted]".
 */
import { createHash } from 'node:crypto';

/** Option names whose values are never stored. */
const SECRET_NAME = /token|passw|secret|credential|bearer|api-?key/i;

/** The stored form of a hook command: its hash, never its text. */
export function redactCommand(command: string): string {
  return `[command redacted; sha256 ${createHash('sha256').update(command).digest('hex').slice(0, 16)}]`;
}

/** Suite settings as stored: the named command settings redacted, the rest as given. */
export function redactSettings(extra: Readonly<Record<string, string | number>>, commandKeys: readonly string[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(extra)) out[k] = commandKeys.includes(k) || SECRET_NAME.test(k) ? redactCommand(String(v)) : v;
  return out;
}

/** Target options as stored: values of secret-named options replaced by "[redacted]". */
export function redactOptions(options: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [k, SECRET_NAME.test(k) ? '[redacted]' : v]));
}
