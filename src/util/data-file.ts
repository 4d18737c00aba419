/** Reads a YAML (or JSON) data file, checks its schema tag and version, validates it: one clear line on any problem. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { compileSchema, formatSchemaErrors } from '../result/validate.js';
import { UserError, errorMessage } from './errors.js';

/** What kind of data file is expected. */
export interface DataFileKind {
  /** Value of the file's "schema" field, e.g. "edgebench/claims". */
  tag: string;
  version: number;
  /** JSON Schema file under schemas/. */
  schemaFile: string;
  /** Noun for messages, e.g. "claims file". */
  noun: string;
}

const validators = new Map<string, ReturnType<typeof compileSchema>>();

/** Validates an already-parsed value as `kind`; `name` names it in the error. */
export function validateData<T>(value: unknown, kind: DataFileKind, name: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`${name}: not a ${kind.noun} (expected a mapping at the top)`);
  const tag = (value as { schema?: unknown }).schema;
  if (tag !== kind.tag) throw new UserError(`${name}: not a ${kind.noun} (missing "schema: ${kind.tag}")`);
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (version !== kind.version) throw new UserError(`${name}: ${kind.noun} schema version ${JSON.stringify(version)} is not supported (this edgebench reads version ${kind.version})`);
  let validate = validators.get(kind.schemaFile);
  if (!validate) {
    validate = compileSchema(kind.schemaFile);
    validators.set(kind.schemaFile, validate);
  }
  if (!validate(value)) throw new UserError(`${name}: ${kind.noun} does not match ${kind.schemaFile}: ${formatSchemaErrors(validate.errors)}`);
  return value as T;
}

/** Parses YAML/JSON text as `kind`. */
export function parseDataText<T>(text: string, kind: DataFileKind, name: string): T {
  let value: unknown;
  try {
    value = parseYaml(text, { prettyErrors: false });
  } catch (e) {
    throw new UserError(`${name}: not valid YAML: ${errorMessage(e).split('\n')[0]}`);
  }
  return validateData<T>(value, kind, name);
}

/** Reads and validates a data file. */
export function readDataFile<T>(path: string, kind: DataFileKind): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${path}: no such ${kind.noun}` : `${path}: cannot read (${errorMessage(e)})`);
  }
  return parseDataText<T>(text, kind, path);
}
