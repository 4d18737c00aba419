/** Target options (`--opt KEY=VALUE`, a plan's runtime options): their declarations, checking and reading. */
import { binVar, readVar, type EnvSource, type EnvVar } from '../env/environment.js';
import { UserError } from '../util/errors.js';

/** What values an option takes. `path` is any non-empty string (existence is the target's business); `duration` is milliseconds or NUMBER(ms|s|m|h). */
export type OptionType = 'string' | 'int' | 'number' | 'bool' | 'path' | 'duration';

/** One declared target option. */
export interface OptionSpec {
  /** kebab-case key (internal keys the harness passes may be named otherwise: see `internal`). */
  key: string;
  type: OptionType;
  /** Inclusive range of an int, number or duration (in ms). */
  min?: number;
  max?: number;
  /** The only values a string takes. */
  choices?: readonly string[];
  /** Filled in when the option is absent (and its environment variable too). */
  default?: string;
  /** A variable read when the option is absent. */
  env?: EnvVar;
  /** One line for help and doctor. */
  help: string;
  /** Passed by the harness itself (run id, a build chosen by version), not listed in help. */
  internal?: boolean;
  /** Old spellings still accepted (deprecated), mapped to `key`. */
  aliases?: readonly string[];
}

/** kebab-case: lowercase words joined by "-". */
export const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const TRUE = ['true', '1', 'yes'];
const FALSE = ['false', '0', 'no'];

/** What a type (and range) expects, for refusals and help. */
export function expected(s: OptionSpec): string {
  const range = s.min !== undefined || s.max !== undefined ? ` in ${s.min ?? '…'}..${s.max ?? '…'}` : '';
  if (s.choices) return `one of ${s.choices.join(', ')}`;
  switch (s.type) {
    case 'int': return `a whole number${range}`;
    case 'number': return `a number${range}`;
    case 'bool': return 'true or false';
    case 'duration': return `a duration (e.g. 500ms, 10s, 2m)${range ? `${range} ms` : ''}`;
    case 'path': return 'a path';
    default: return 'a value';
  }
}

/** Milliseconds of a duration ("250", "250ms", "10s", "2m", "1h"), or NaN. */
function durationMs(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : m[2] === 'h' ? n * 3_600_000 : n;
}

/** A value checked against its declaration and normalised (bools to true/false, durations to ms); `where` names its source in a refusal. */
export function checkValue(s: OptionSpec, value: string, where = `--opt ${s.key}`): string {
  const bad = (): never => {
    throw new UserError(`${where}=${value}: expected ${expected(s)}`);
  };
  const inRange = (n: number): boolean => (s.min === undefined || n >= s.min) && (s.max === undefined || n <= s.max);
  switch (s.type) {
    case 'int': {
      const n = Number(value);
      return value.trim() !== '' && Number.isInteger(n) && inRange(n) ? String(n) : bad();
    }
    case 'number': {
      const n = Number(value);
      return value.trim() !== '' && Number.isFinite(n) && inRange(n) ? String(n) : bad();
    }
    case 'duration': {
      const n = durationMs(value);
      return Number.isFinite(n) && inRange(n) ? String(Math.round(n)) : bad();
    }
    case 'bool': {
      const l = value.toLowerCase();
      return TRUE.includes(l) ? 'true' : FALSE.includes(l) ? 'false' : bad();
    }
    default:
      if (value === '' && s.type === 'path') return bad();
      return s.choices && !s.choices.includes(value) ? bad() : value;
  }
}

/** One option's value: given, else its variable, else its default (checked like a given one); undefined when none. */
export function readOption(s: OptionSpec, options: Readonly<Record<string, string>>, from?: EnvSource): string | undefined {
  const given = [s.key, ...(s.aliases ?? [])].map((k) => options[k]).find((v) => v !== undefined);
  if (given !== undefined) return checkValue(s, given);
  const fromEnv = s.env ? readVar(s.env, from) : undefined;
  if (fromEnv !== undefined && fromEnv !== '') return checkValue(s, fromEnv, `${s.env} (for --opt ${s.key})`);
  return s.default;
}

/**
 * Checks options against declarations: an unknown key is refused naming the valid ones (`target` says whose);
 * values are checked and normalised, aliases mapped to their keys, variables and defaults filled in.
 */
export function resolveOptions(specs: readonly OptionSpec[], options: Readonly<Record<string, string>>, target: string, from?: EnvSource): Record<string, string> {
  const byKey = new Map<string, OptionSpec>();
  for (const s of specs) for (const k of [s.key, ...(s.aliases ?? [])]) byKey.set(k, s);
  for (const k of Object.keys(options)) {
    if (!byKey.has(k)) {
      const listed = specs.filter((s) => !s.internal).map((s) => s.key);
      throw new UserError(`--opt ${k}: not an option of ${target} (options: ${listed.join(', ') || 'none'})`);
    }
  }
  const out: Record<string, string> = {};
  for (const s of specs) {
    const v = readOption(s, options, from);
    if (v !== undefined) out[s.key] = v;
  }
  return out;
}

/** Options every target accepts: the ones the harness passes to every cell. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { key: 'runId', type: 'string', help: 'the run id labelling what the cell creates (set by the harness)', internal: true },
  { key: 'kubeconfig', type: 'path', help: 'kubeconfig file (run --kubeconfig); used by the kube layer', env: 'EDGEBENCH_KUBECONFIG' },
  { key: 'context', type: 'string', help: 'kubeconfig context (run --context); used by the kube layer', env: 'EDGEBENCH_KUBE_CONTEXT' },
];

/** Options of a target that runs on a build chosen by version (`NAME@VERSION[/VARIANT]`); the harness sets them. */
export const BUILD_OPTIONS: readonly OptionSpec[] = [
  { key: 'build-version', type: 'string', help: 'version of the build to run (from --runtime NAME@VERSION)', internal: true },
  { key: 'build-variant', type: 'string', help: 'variant of the build (from --runtime NAME@VERSION/VARIANT)', internal: true },
];

/** `bin`: a runtime's binary (a path or a name on PATH); the target reads its variable (binVar) itself, after a build chosen by version. */
export function binOption(runtime: string, otherwise: string): OptionSpec {
  return { key: 'bin', type: 'path', help: `${runtime} binary, a path or a name on PATH (else $${binVar(runtime)}, else ${otherwise})` };
}
