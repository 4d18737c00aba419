/** Validates result objects against schemas/result.schema.json (ajv, draft-07). */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { repoPath } from '../util/paths.js';
import type { Result } from './types.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let cached: ValidateFunction | undefined;
let cachedV1: ValidateFunction | undefined;

/** Compiles a JSON Schema file from schemas/ with formats enabled. */
export function compileSchema(file: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(repoPath('schemas', file), 'utf8')) as object);
}

/** Formats ajv errors as one readable line. */
export function formatSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}

/** Returns null when `value` is a valid result, else a one-line description of what is wrong. */
export function resultProblems(value: unknown): string | null {
  cached ??= compileSchema('result.schema.json');
  return cached(value) ? null : formatSchemaErrors(cached.errors);
}

/** Null when `value` is a valid schema-1 result (read only, to be upgraded), else what is wrong. */
export function resultV1Problems(value: unknown): string | null {
  cachedV1 ??= compileSchema('result.v1.schema.json');
  return cachedV1(value) ? null : formatSchemaErrors(cachedV1.errors);
}

/** Type guard form of resultProblems. */
export function isResult(value: unknown): value is Result {
  return resultProblems(value) === null;
}
