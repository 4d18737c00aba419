/** Reading and writing result files, validated both ways. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { UserError, errorMessage } from '../util/errors.js';
import { READABLE_SCHEMA_VERSIONS, RESULT_SCHEMA, type Result } from './types.js';
import { upgradeV1 } from './upgrade.js';
import { resultProblems, resultV1Problems } from './validate.js';

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
  if (typeof version !== 'number' || !READABLE_SCHEMA_VERSIONS.includes(version)) {
    throw new UserError(`${name}: result schema version ${JSON.stringify(version)} is not supported (this edgebench reads versions ${READABLE_SCHEMA_VERSIONS.join(', ')})`);
  }
  if (version === 1) {
    const old = resultV1Problems(value);
    if (old) throw new UserError(`${name}: result does not match schema version 1: ${old}`);
    value = upgradeV1(value as Parameters<typeof upgradeV1>[0]);
  }
  const problems = resultProblems(value);
  if (problems) throw new UserError(`${name}: result does not match the schema${version === 1 ? ' (after upgrading from version 1)' : ''}: ${problems}`);
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
