/** `edgebench publish RESULT|DIR...`: PR-comment Markdown, single-file HTML, github-action-benchmark JSON, JUnit XML, OpenMetrics. */
import { writeFileSync, renameSync } from 'node:fs';
import { judgeClaims } from '../../claims/engine.js';
import { loadClaims, SEED_CLAIMS_PATH } from '../../claims/load.js';
import { loadProfiles, SEED_PROFILES_PATH } from '../../claims/load-profiles.js';
import { assessProfiles } from '../../claims/profiles.js';
import { comparePair, pairUp } from '../../compare/compare.js';
import { observationsFor } from '../../history/resolve.js';
import { readIndex } from '../../history/store.js';
import { seriesOf, trendOf } from '../../history/trend.js';
import { benchmarkEntries } from '../../publish/benchmark-json.js';
import { htmlReport } from '../../publish/html.js';
import { junitXml } from '../../publish/junit.js';
import { openMetrics } from '../../publish/openmetrics.js';
import { prMarkdown } from '../../publish/pr-markdown.js';
import type { ReportInput } from '../../publish/report-input.js';
import { loadObservations } from '../../result/load-observations.js';
import { UserError, errorMessage } from '../../util/errors.js';
import { choiceFlag, parse } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { parseThreshold } from './compare.js';

const FORMATS = ['md', 'html', 'benchmark-json', 'junit', 'openmetrics'] as const;

const USAGE = `edgebench publish RESULT|DIR... --format ${FORMATS.join('|')} [--out FILE] [--title TEXT]
                 [--claims FILE | --no-claims] [--profiles FILE] [--baseline FILE|DIR|RUN-ID] [--threshold 5%]
                 [--history results] [--direction smaller|bigger]
  md              Markdown for a pull-request comment (claims, key metrics, comparison with --baseline, environment)
  html            one HTML file with inline SVG charts (latency CDF/histogram, density, memory over time, trend)
  benchmark-json  github-action-benchmark input (tool customSmallerIsBetter; --direction bigger for customBiggerIsBetter)
  junit           JUnit XML, claims as test cases (refuted → failure)
  openmetrics     OpenMetrics text (gauges per quantile, claims as a stateset)
--history gives trends (and resolves --baseline run ids) from results/history.
Exit codes: 0 written; 2 bad input.`;

export const publishCommand: Command = {
  name: 'publish',
  summary: 'publish results: md (PR comment), html, benchmark-json, junit, openmetrics',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parse('publish', argv, {
      format: { type: 'string' }, out: { type: 'string' }, title: { type: 'string' }, claims: { type: 'string' }, 'no-claims': { type: 'boolean' },
      profiles: { type: 'string' }, baseline: { type: 'string' }, threshold: { type: 'string' }, history: { type: 'string' }, direction: { type: 'string' },
    }, true);
    if (!values.format) throw new UserError(`publish: --format is required (${FORMATS.join(', ')})`);
    const format = choiceFlag('format', values.format, FORMATS, 'md');
    if (positionals.length === 0) throw new UserError('publish: name at least one result file or folder');
    const observations = loadObservations(positionals);
    const root = values.history ?? 'results';
    const claims = values['no-claims'] ? null : loadClaims(values.claims ?? SEED_CLAIMS_PATH());
    const verdicts = claims ? judgeClaims(claims.claims, observations) : [];
    const input: ReportInput = { title: values.title ?? 'edgebench results', generatedAt: new Date().toISOString(), observations, verdicts };
    if (format === 'md' || format === 'html') {
      input.profiles = assessProfiles(loadProfiles(values.profiles ?? SEED_PROFILES_PATH()).profiles, observations);
      if (values.baseline) {
        const { pairs } = pairUp(observationsFor(values.baseline, root), observations);
        input.comparisons = pairs.map(([b, c]) => comparePair(b, c, { threshold: parseThreshold(values.threshold) }));
        input.baseline = values.baseline;
        input.compareStatistic = 'p50';
      }
      if (values.history) {
        const keys = new Set(observations.map((o) => `${o.result.suite} ${o.result.layer}/${typeof o.result.parameters['runtimeLabel'] === 'string' ? o.result.parameters['runtimeLabel'] : o.result.runtime}/${o.result.workload?.name ?? '-'}`));
        input.trends = seriesOf(readIndex(root)).filter((s) => keys.has(s.key.slice(0, s.key.lastIndexOf(' '))) && s.points.length >= 2).map((s) => trendOf(s));
      }
    }
    let text: string;
    if (format === 'md') text = prMarkdown(input);
    else if (format === 'html') text = htmlReport(input);
    else if (format === 'junit') text = junitXml(verdicts);
    else if (format === 'openmetrics') text = openMetrics(observations, verdicts);
    else text = JSON.stringify(benchmarkEntries(observations, choiceFlag('direction', values.direction, ['smaller', 'bigger'] as const, 'smaller')), null, 2) + '\n';
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
