/** GitHub-flavoured Markdown building blocks for the PR comment: escaped text, aligned tables, folded blocks. No I/O. */

/** Text as Markdown that renders literally: one line, ASCII punctuation Markdown would read backslash-escaped. */
export function mdText(s: string): string {
  return s.replace(/\s+/g, ' ').trim().replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

/** Text inside an HTML element: &, < and > as entities. */
function htmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Column alignment: left for labels, right for figures. */
export type Align = 'left' | 'right';

/** A GFM table; cells are Markdown already (escape text with mdText). */
export function mdTable(header: readonly string[], rows: readonly string[][], align: readonly Align[] = []): string {
  const rule = header.map((_, i) => (align[i] === 'right' ? '---:' : '---'));
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), `|${rule.join('|')}|`, ...rows.map(line)].join('\n');
}

/** A folded block (`<details>`), its body Markdown, blank lines around it so GitHub renders the Markdown inside. */
export function details(summary: string, body: string): string {
  return ['<details>', `<summary>${htmlText(summary)}</summary>`, '', body, '', '</details>'].join('\n');
}
