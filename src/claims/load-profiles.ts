/** Loads a profiles file (YAML + schemas/profiles.schema.json). */
import { readDataFile, type DataFileKind } from '../util/data-file.js';
import { repoPath } from '../util/paths.js';
import { UserError } from '../util/errors.js';
import { PROFILES_SCHEMA, PROFILES_SCHEMA_VERSION, type ProfilesFile } from './profiles.js';

export const PROFILES_KIND: DataFileKind = { tag: PROFILES_SCHEMA, version: PROFILES_SCHEMA_VERSION, schemaFile: 'profiles.schema.json', noun: 'profiles file' };

/** The seed's scenario profiles shipped with edgebench. */
export const SEED_PROFILES_PATH = (): string => repoPath('profiles', 'seed-profiles.yaml');

/** Reads and validates a profiles file; ids must be unique. */
export function loadProfiles(path: string): ProfilesFile {
  const file = readDataFile<ProfilesFile>(path, PROFILES_KIND);
  const seen = new Set<string>();
  for (const p of file.profiles) {
    if (seen.has(p.id)) throw new UserError(`${path}: profile id "${p.id}" appears twice`);
    seen.add(p.id);
    if (p.requirements.some((r) => r.threshold.unit === 'x')) throw new UserError(`${path}: profile ${p.id}: ratio thresholds ("x") are not allowed in profiles`);
  }
  return file;
}
