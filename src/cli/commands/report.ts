/** `edgebench report RESULT...`: renders result files as Markdown, JSON or a text table. */
import { markdownReport } from '../../report/markdown.js';
import { textTable } from '../../report/format.js';
import { RESULT_COLUMNS, resultRows } from '../../report/result-table.js';
import { loadResults } from '../../result/load.js';
import { UserError } from '../../util/errors.js';
import { choiceFlag, parse } from '../args.js';
import type { Command } from '../command.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'render results as md, json or text',
  usage: 'edgebench report RESULT|DIR... [--format md|json|text]',
  examples: ['edgebench report results/RUN_ID --format text'],
  async run(argv) {
    const { values, positionals } = parse('report', argv, { format: { type: 'string' } }, true);
    const format = choiceFlag('format', values.format, ['md', 'json', 'text'] as const, 'md');
    if (positionals.length === 0) throw new UserError('report: name at least one result file or folder');
    const results = loadResults(positionals).map((l) => l.result);
    if (format === 'json') {
      const slim = results.map((r) => ({
        runId: r.runId, suite: r.suite, layer: r.layer, runtime: r.runtime, simulated: r.target.simulated, ...(r.target.simulation ? { simulation: r.target.simulation } : {}), workload: r.workload?.name ?? null, status: r.status, reason: r.reason ?? null, counts: r.counts,
        metrics: r.metrics.map((m) => ({ name: m.name, unit: m.unit, better: m.better, clock: m.clock, summary: m.summary, ci: { p50: [m.ci.p50.low, m.ci.p50.high], p99: [m.ci.p99.low, m.ci.p99.high] } })),
      }));
      process.stdout.write(JSON.stringify(slim, null, 2) + '\n');
    } else if (format === 'text') process.stdout.write(textTable(RESULT_COLUMNS, resultRows(results, true)) + '\n');
    else process.stdout.write(markdownReport(results) + '\n');
    return 0;
  },
};
