/** `edgebench publish RESULT|DIR...`: PR-comment Markdown, single-file HTML, github-action-benchmark JSON, JUnit XML, OpenMetrics. */
import { writeFileSync, renameSync } from 'node:fs';
import { judgeClaims } from '../../claims/engine.js';
import { loadClaims, SEED_CLAIMS_PATH } from '../../claims/load.js';
import { loadProfiles, SEED_PROFILES_PATH } from '../../claims/load-profiles.js';
import { assessProfiles } from '../../claims/profiles.js';
import { comparePair, pairUp } from '../../compare/compare.js';
import { gateOf, unpairedBases } from '../../compare/gate.js';
import { observationsFor } from '../../history/resolve.js';
import { readIndex } from '../../history/store.js';
import { seriesOf, trendOf } from '../../history/trend.js';
import { uniqueCells } from '../../output/unique-cells.js';
import { render } from '../../output/renderers.js';
import type { ReportInput } from '../../output/report-input.js';
import { displayRuntime } from '../../result/label.js';
import { loadObservations } from '../../result/load-observations.js';
import { UserError, errorMessage } from '../../util/errors.js';
import { choiceFlag, parse } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { parseThreshold } from './compare.js';

const FORMATS = ['md', 'html', 'benchmark-json', 'junit', 'openmetrics'] as const;

const USAGE = `edgebench publish RESULT|DIR... --format ${FORMATS.join('|')} [--out FILE] [--title TEXT]
                 [--claims FILE | --no-claims] [--profiles FILE] [--baseline FILE|DIR|RUN-ID] [--threshold 5%]
                 [--history results] [--direction smaller|bigger] [--timestamps] [--allow-missing]
  md              Markdown for a pull-request comment (claims, key metrics, comparison with --baseline, environment)
  html            one HTML file with inline SVG charts (latency CDF/histogram, density, memory over time, trend)
  benchmark-json  github-action-benchmark input (tool customSmallerIsBetter; --direction bigger for customBiggerIsBetter);
                  one entry per name: of several runs of a cell, the latest (the others are named on stderr)
  junit           JUnit XML, claims as test cases (refuted → failure); with --baseline, a test case per compared metric
                  (a regression → failure) and per cell missing on one side or not compared (→ failure; skipped
                  with --allow-missing)
  openmetrics     OpenMetrics text: a summary family per suite and metric (quantiles, _count, _sum), a series per
                  result labelled by layer, runtime, workload, run id; claims as a stateset labelled by their runs;
                  --timestamps gives each sample its result's end time (for promtool tsdb create-blocks-from openmetrics)
Over several runs every format keeps series and names unique; a cell of one run reached twice is published once
(the copy is named on stderr).
--history gives trends (and resolves --baseline run ids) from results/history.
Exit codes: 0 written; 2 bad input.`;

export const publishCommand: Command = {
  name: 'publish',
  summary: 'publish results: md (PR comment), html, benchmark-json, junit, openmetrics',
  usage: USAGE,
  examples: ['edgebench publish results/RUN_ID --format md --baseline results/BASE_RUN_ID --out comment.md'],
  async run(argv) {
    const { values, positionals } = parse('publish', argv, {
      format: { type: 'string' }, out: { type: 'string' }, title: { type: 'string' }, claims: { type: 'string' }, 'no-claims': { type: 'boolean' },
      profiles: { type: 'string' }, baseline: { type: 'string' }, threshold: { type: 'string' }, history: { type: 'string' }, direction: { type: 'string' },
      timestamps: { type: 'boolean' }, 'allow-missing': { type: 'boolean' },
    }, true);
    if (!values.format) throw new UserError(`publish: --format is required (${FORMATS.join(', ')})`);
    const format = choiceFlag('format', values.format, FORMATS, 'md');
    if (positionals.length === 0) throw new UserError('publish: name at least one result file or folder');
    if (values.timestamps && format !== 'openmetrics') throw new UserError('publish: --timestamps is for --format openmetrics');
    const unique = uniqueCells(loadObservations(positionals));
    for (const d of unique.dropped) process.stderr.write(`publish: ${d}\n`);
    const observations = unique.kept;
    const root = values.history ?? 'results';
    const claims = values['no-claims'] ? null : loadClaims(values.claims ?? SEED_CLAIMS_PATH());
    const verdicts = claims ? judgeClaims(claims.claims, observations) : [];
    const input: ReportInput = { title: values.title ?? 'edgebench results', generatedAt: new Date().toISOString(), observations, verdicts };
    let missing: ReturnType<typeof gateOf>['missing'] = [];
    if (values.baseline && (format === 'md' || format === 'html' || format === 'junit')) {
      const bases = observationsFor(values.baseline, root);
      const { pairs, unpaired } = pairUp(bases, observations);
      input.comparisons = pairs.map(([b, c]) => comparePair(b, c, { threshold: parseThreshold(values.threshold) }));
      input.baseline = values.baseline;
      input.compareStatistic = 'p50';
      missing = gateOf(input.comparisons, unpairedBases(bases, pairs), unpaired).missing;
    }
    if (format === 'md' || format === 'html') {
      input.profiles = assessProfiles(loadProfiles(values.profiles ?? SEED_PROFILES_PATH()).profiles, observations);
      if (values.history) {
        // The history index names runtimes as displayRuntime does (plan label, [simulated] mark).
        const keys = new Set(observations.map((o) => `${o.result.suite} ${o.result.layer}/${displayRuntime(o.result)}/${o.result.workload?.name ?? '-'}`));
        input.trends = seriesOf(readIndex(root)).filter((s) => keys.has(s.key.slice(0, s.key.lastIndexOf(' '))) && s.points.length >= 2).map((s) => trendOf(s));
      }
    }
    input.missing = missing;
    input.options = {
      timestamps: !!values.timestamps,
      allowMissing: !!values['allow-missing'],
      ...(format === 'benchmark-json' ? { direction: choiceFlag('direction', values.direction, ['smaller', 'bigger'] as const, 'smaller') } : {}),
    };
    input.note = (line) => process.stderr.write(`publish: ${line}\n`);
    const text = render(format, input);
    if (values.out) {
      const tmp = `${values.out}.tmp-${process.pid}`;
      try {
        writeFileSync(tmp, text);
        renameSync(tmp, values.out);
      } catch (e) {
        throw new UserError(`${values.out}: cannot write (${errorMessage(e)})`);
      }
      process.stderr.write(`publish: wrote ${values.out} (${format}, ${observations.length} result(s))\n`);
    } else process.stdout.write(text);
    return EXIT.ok;
  },
};
