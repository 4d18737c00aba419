/** `edgebench report RESULT...`: renders result files as Markdown, JSON or a text table (src/output renderers). */
import { render } from '../../output/renderers.js';
import { resultsInput } from '../../output/report-input.js';
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
    process.stdout.write(render(format === 'md' ? 'results-md' : format, resultsInput(results, 'edgebench results', new Date().toISOString())));
    return 0;
  },
};
