/** Reading and writing result files, validated both ways. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { UserError, errorMessage } from '../util/errors.js';
import { RESULT_SCHEMA, RESULT_SCHEMA_VERSION, type Result } from './types.js';
import { resultProblems } from './validate.js';

/** Writes a result atomically after validating it; throws if the result does not match the schema. */
export function writeResult(path: string, result: Result): void {
  const problems = resultProblems(result);
  if (problems) throw new Error(`refusing to write an invalid result to ${path}: ${problems}`);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(result, null, 2) + '\n');
  renameSync(tmp, path);
}

/** Parses and validates a result from text; `name` is used in error messages. */
export function parseResult(text: string, name: string): Result {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${name}: not a result file: invalid JSON (${errorMessage(e)}); is it truncated?`);
  }
  if (typeof value !== 'object' || value === null || (value as { schema?: unknown }).schema !== RESULT_SCHEMA) {
    throw new UserError(`${name}: not an edgebench result (missing "schema": "${RESULT_SCHEMA}")`);
  }
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (version !== RESULT_SCHEMA_VERSION) {
    throw new UserError(`${name}: result schema version ${JSON.stringify(version)} is not supported (this edgebench reads version ${RESULT_SCHEMA_VERSION})`);
  }
  const problems = resultProblems(value);
  if (problems) throw new UserError(`${name}: result does not match the schema: ${problems}`);
  return value as Result;
}

/** Reads and validates a result file. */
export function readResult(path: string): Result {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${path}: no such result file` : `${path}: cannot read (${errorMessage(e)})`);
  }
  return parseResult(text, path);
}
