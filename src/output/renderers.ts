/** The renderers by format name, as `publish` and `report` pick them (hyperfine's src/export/ manager, in small). */
import { benchmarkJsonRenderer } from './benchmark-json.js';
import { htmlRenderer } from './html.js';
import { jsonRenderer } from './json.js';
import { junitRenderer } from './junit.js';
import { openMetricsRenderer } from './openmetrics.js';
import { prMarkdownRenderer } from './pr-markdown.js';
import type { Renderer } from './renderer.js';
import type { ReportInput } from './report-input.js';
import { resultsMarkdownRenderer } from './results-markdown.js';
import { textRenderer } from './text.js';

const RENDERERS: ReadonlyMap<string, Renderer> = new Map(
  [prMarkdownRenderer, htmlRenderer, benchmarkJsonRenderer, junitRenderer, openMetricsRenderer, resultsMarkdownRenderer, textRenderer, jsonRenderer].map(
    (r) => [r.format, r],
  ),
);

/** Names of the registered formats. */
export function formats(): string[] {
  return [...RENDERERS.keys()];
}

/** Renders `input` in the named format (an unknown name is a bug: the commands check theirs first). */
export function render(format: string, input: ReportInput): string {
  const r = RENDERERS.get(format);
  if (!r) throw new Error(`no renderer for format ${format} (known: ${formats().join(', ')})`);
  return r.render(input);
}
