/** `report --format text`: the results as a terminal table (fitted to the terminal's width). No I/O. */
import type { Renderer } from './renderer.js';
import { resultsOf } from './report-input.js';
import { RESULT_COLUMNS, resultRows } from './result-table.js';
import { textTable } from './text-table.js';

/** The results table, one row per result and metric. */
export const textRenderer: Renderer = {
  format: 'text',
  render: (input) => textTable(RESULT_COLUMNS, resultRows(resultsOf(input), true)) + '\n',
};
