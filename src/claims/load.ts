/** Loads a claims file (YAML + schemas/claims.schema.json) and checks what the schema cannot. */
import { readDataFile, validateData, type DataFileKind } from '../util/data-file.js';
import { repoPath } from '../util/paths.js';
import { UserError } from '../util/errors.js';
import { CLAIMS_SCHEMA, CLAIMS_SCHEMA_VERSION, type ClaimsFile } from './types.js';

export const CLAIMS_KIND: DataFileKind = { tag: CLAIMS_SCHEMA, version: CLAIMS_SCHEMA_VERSION, schemaFile: 'claims.schema.json', noun: 'claims file' };

/** The seed's claims shipped with edgebench. */
export const SEED_CLAIMS_PATH = (): string => repoPath('claims', 'seed-claims.yaml');

/** Semantic checks: unique ids, the "x" unit only (and always) for ratio claims. */
export function checkClaims(file: ClaimsFile, name: string): ClaimsFile {
  const seen = new Set<string>();
  for (const c of file.claims) {
    if (seen.has(c.id)) throw new UserError(`${name}: claim id "${c.id}" appears twice`);
    seen.add(c.id);
    if (c.ratio && c.threshold.unit !== 'x') throw new UserError(`${name}: claim ${c.id} is a ratio; its threshold unit must be "x"`);
    if (!c.ratio && c.threshold.unit === 'x') throw new UserError(`${name}: claim ${c.id} has unit "x" but no ratio section`);
  }
  return file;
}

/** Reads and validates a claims file. */
export function loadClaims(path: string): ClaimsFile {
  return checkClaims(readDataFile<ClaimsFile>(path, CLAIMS_KIND), path);
}

/** Validates an in-memory claims object (tests, plans). */
export function claimsFrom(value: unknown, name: string): ClaimsFile {
  return checkClaims(validateData<ClaimsFile>(value, CLAIMS_KIND, name), name);
}
