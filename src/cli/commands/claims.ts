/** `edgebench claims RESULT|DIR...`: judges the claims file against results, per layer. */
import { judgeClaims, tally } from '../../claims/engine.js';
import { loadClaims, SEED_CLAIMS_PATH } from '../../claims/load.js';
import { claimsMarkdown, claimsText, tallyLine } from '../../output/claims-table.js';
import { junitXml } from '../../output/junit.js';
import { loadObservations } from '../../result/load-observations.js';
import { UserError } from '../../util/errors.js';
import { choiceFlag, intFlag, parse } from '../args.js';
import { EXIT, type Command } from '../command.js';

const USAGE = `edgebench claims RESULT|DIR... [--claims FILE] [--format text|md|json|junit] [--fail-on refuted|never] [--seed N]
  --claims   claims file (YAML, schemas/claims.schema.json); default: the seed's claims (claims/seed-claims.yaml)
  --fail-on  refuted (default): exit 1 when any claim is refuted; never: exit 0 whatever the verdicts
Verdicts per claim, layer and subject: confirmed (95% CI on the claimed side), refuted (CI on the other
side), inconclusive (CI straddles the threshold), not measured (with why).
Exit codes: 0 no claim refuted; 1 a claim refuted; 2 bad input (unreadable result, claims file that does not validate).`;

export const claimsCommand: Command = {
  name: 'claims',
  summary: 'judge claims (seed or a claims file) against results',
  usage: USAGE,
  examples: ['edgebench claims results/RUN_ID --format md'],
  async run(argv) {
    const { values, positionals } = parse('claims', argv, { claims: { type: 'string' }, format: { type: 'string' }, 'fail-on': { type: 'string' }, seed: { type: 'string' } }, true);
    const format = choiceFlag('format', values.format, ['text', 'md', 'json', 'junit'] as const, 'text');
    const failOn = choiceFlag('fail-on', values['fail-on'], ['refuted', 'never'] as const, 'refuted');
    const seed = intFlag('seed', values.seed, 1, 0, 2 ** 31 - 1);
    if (positionals.length === 0) throw new UserError('claims: name at least one result file or folder');
    const claims = loadClaims(values.claims ?? SEED_CLAIMS_PATH());
    const observations = loadObservations(positionals);
    const verdicts = judgeClaims(claims.claims, observations, { seed });
    const t = tally(verdicts);
    if (format === 'json') process.stdout.write(JSON.stringify({ tally: t, verdicts }, null, 2) + '\n');
    else if (format === 'junit') process.stdout.write(junitXml(verdicts));
    else if (format === 'md') process.stdout.write(`## Claims\n\n${tallyLine(t)}.\n\n${claimsMarkdown(verdicts)}\n`);
    else process.stdout.write(`${claimsText(verdicts)}\n\n${tallyLine(t)}\n`);
    return failOn === 'refuted' && t.refuted > 0 ? EXIT.failed : EXIT.ok;
  },
};
