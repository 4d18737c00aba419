/** Word-wraps plain text to a width, with a hanging indent; words longer than a line are broken. No I/O. */

/** Wraps `text` to lines of at most `width` characters (its leading spaces kept); continuation lines start with `indent` spaces. */
export function wrapText(text: string, width: number, indent = 0): string[] {
  if (!Number.isFinite(width) || text.length <= width) return [text];
  const lead = /^ */.exec(text)?.[0] ?? '';
  const pad = ' '.repeat(Math.min(indent, Math.max(0, width - 10)));
  const lines: string[] = [];
  let line = lead.length < width - 10 ? lead : '';
  const start = (): string => (lines.length ? pad : line === lead ? lead : '');
  const fresh = (): boolean => line === start();
  const push = (): void => {
    lines.push(line);
    line = pad;
  };
  for (let word of text.trim().split(/\s+/)) {
    if (!fresh() && line.length + 1 + word.length > width) push();
    while (fresh() && line.length + word.length > width) {
      const take = width - line.length;
      line += word.slice(0, take);
      word = word.slice(take);
      push();
    }
    if (word) line = fresh() ? line + word : `${line} ${word}`;
  }
  if (!fresh()) lines.push(line);
  return lines;
}
