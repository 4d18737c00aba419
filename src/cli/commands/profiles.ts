/** `edgebench profiles RESULT|DIR...`: which scenario profiles each measured stack qualifies for, and by what margin. */
import { assessProfiles } from '../../claims/profiles.js';
import { loadProfiles, SEED_PROFILES_PATH } from '../../claims/load-profiles.js';
import { profilesMarkdown, profilesText } from '../../output/profiles-table.js';
import { loadObservations } from '../../result/load-observations.js';
import { UserError } from '../../util/errors.js';
import { choiceFlag, parse } from '../args.js';
import { EXIT, type Command } from '../command.js';

export const profilesCommand: Command = {
  name: 'profiles',
  examples: ['edgebench profiles results/RUN_ID --format md'],
  summary: 'which scenario profiles (5G MEC, IoT, game, light function, FaaS) each stack qualifies for',
  usage: `edgebench profiles RESULT|DIR... [--profiles FILE] [--format text|md|json]
  --profiles  profiles file (YAML, schemas/profiles.schema.json); default: the seed's scenario model (profiles/seed-profiles.yaml)
A stack (layer × runtime) qualifies when every requirement is confirmed; margin = smallest headroom.
Exit codes: 0 always after a judgement (qualifying is not a test); 2 bad input.`,
  async run(argv) {
    const { values, positionals } = parse('profiles', argv, { profiles: { type: 'string' }, format: { type: 'string' } }, true);
    const format = choiceFlag('format', values.format, ['text', 'md', 'json'] as const, 'text');
    if (positionals.length === 0) throw new UserError('profiles: name at least one result file or folder');
    const profiles = loadProfiles(values.profiles ?? SEED_PROFILES_PATH());
    const list = assessProfiles(profiles.profiles, loadObservations(positionals));
    if (format === 'json') process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    else process.stdout.write((format === 'md' ? profilesMarkdown(list) : profilesText(list)) + '\n');
    return EXIT.ok;
  },
};
