/** `edgebench history append|list|trend`: the append-only results store, trends and change points. */
import { loadResults } from '../../result/load.js';
import { appendRuns, historyDir, readIndex } from '../../history/store.js';
import { partialRunWarnings } from '../../history/partial.js';
import { seriesOf, trendOf, type Trend } from '../../history/trend.js';
import { formatValue, textTable } from '../../output/format.js';
import type { Unit } from '../../core/histogram.js';
import { UserError } from '../../util/errors.js';
import { choiceFlag, intFlag, parse } from '../args.js';
import { EXIT, type Command } from '../command.js';

const USAGE = `edgebench history append RESULT|DIR... [--history results]
edgebench history list [--history results]
edgebench history trend [--history results] [--filter TEXT] [--statistic p50|p90|p99|max] [--min-change 5%] [--format text|json]
  append  copies each run's results (one record file per run, raw samples beside it) and adds a line to index.ndjson;
          a run that is partial (an interrupted cell, fewer results than it set out to measure, raw samples with no
          result) is appended with a warning on stderr naming what is missing
  trend   per metric over the runs: Theil–Sen slope and change points (E-divisive means, permutation test p ≤ 0.05);
          --filter TEXT keeps the series whose name contains it (one that matches none is exit 2, listing them)
Exit codes: trend: 0 no regression, 1 a change point in the worse direction; 2 bad input.`;

export const historyCommand: Command = {
  name: 'history',
  summary: 'append results to the history store; trends and change points',
  usage: USAGE,
  examples: ['edgebench history trend --filter cold-start --statistic p90'],
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parse('history', rest, {
      history: { type: 'string' }, filter: { type: 'string' }, statistic: { type: 'string' }, 'min-change': { type: 'string' }, format: { type: 'string' }, seed: { type: 'string' },
    }, true);
    const root = values.history ?? 'results';
    if (sub === 'append') {
      if (positionals.length === 0) throw new UserError('history append: name result files or folders');
      const loaded = loadResults(positionals);
      const warnings = partialRunWarnings(loaded);
      const added = appendRuns(root, loaded);
      for (const w of warnings) process.stderr.write(`history append: warning: ${w}\n`);
      process.stdout.write(`appended ${added.length} run(s) to ${historyDir(root)}: ${added.join(', ')}${warnings.length ? ` (${warnings.length} partial, see the warnings)` : ''}\n`);
      return EXIT.ok;
    }
    if (positionals.length) throw new UserError(`history ${sub ?? ''}: unexpected argument "${positionals[0]}"`);
    const entries = readIndex(root);
    if (sub === 'list') {
      process.stdout.write(textTable(['run', 'started', 'commit', 'results'], entries.map((e) => [e.runId, e.startedAt, e.gitCommit?.slice(0, 12) ?? '-', String(e.results.length)])) + '\n');
      return EXIT.ok;
    }
    if (sub !== 'trend') throw new UserError(`history: unknown subcommand "${sub ?? ''}" (append, list, trend)`);
    const statistic = choiceFlag('statistic', values.statistic, ['p50', 'p90', 'p99', 'max'] as const, 'p50');
    const minChange = values['min-change'] === undefined ? 0.05 : Number(values['min-change'].replace(/%$/, '')) / (values['min-change'].endsWith('%') ? 100 : 1);
    if (!Number.isFinite(minChange) || minChange < 0) throw new UserError(`--min-change: "${values['min-change']}" is not a percentage`);
    const seed = intFlag('seed', values.seed, 1, 0, 2 ** 31 - 1);
    const format = choiceFlag('format', values.format, ['text', 'json'] as const, 'text');
    if (entries.length === 0) throw new UserError(`history trend: no runs in ${historyDir(root)}`);
    const all = seriesOf(entries, statistic);
    const kept = all.filter((s) => values.filter === undefined || s.key.includes(values.filter));
    if (kept.length === 0) {
      const names = all.map((s) => s.key);
      const shown = names.slice(0, 20).join('; ') + (names.length > 20 ? `; … ${names.length - 20} more` : '');
      throw new UserError(values.filter !== undefined ? `history trend: --filter "${values.filter}" matches no series (series: ${shown || 'none'})` : `history trend: no measured series in ${historyDir(root)}`);
    }
    const trends: Trend[] = kept.map((s) => trendOf(s, { minRelativeChange: minChange, seed }));
    if (format === 'json') process.stdout.write(JSON.stringify(trends, null, 2) + '\n');
    else {
      const f = (v: number, u: string): string => formatValue(v, u as Unit);
      const rows = trends.map((t) => [
        t.key, String(t.points.length), f(t.points.at(-1)?.value ?? NaN, t.unit), `${f(t.slopePerRun, t.unit)}/run`,
        t.changePoints.map((c) => `@${t.points[c.index]?.runId ?? c.index}: ${f(c.before, t.unit)} → ${f(c.after, t.unit)} (${(c.relativeChange * 100).toFixed(1)}%, p=${c.pValue.toFixed(3)})`).join('; ') || '-',
      ]);
      process.stdout.write(textTable(['series', 'runs', `last ${statistic}`, 'slope', 'change points'], rows) + '\n');
    }
    const regressions = trends.flatMap((t) => t.regressions.map(() => t.key));
    if (format === 'text') process.stdout.write(`\n${regressions.length ? `regression in: ${[...new Set(regressions)].join(', ')}` : 'no regression'}\n`);
    return regressions.length ? EXIT.failed : EXIT.ok;
  },
};
