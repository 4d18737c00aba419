/** Keeps the PR comment within GitHub's comment limit: the longest folded bodies give way first, with a note saying so. No I/O. */
import { details } from './pr-md.js';

/** GitHub refuses a comment body longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** A folded block before rendering. */
export interface Folded {
  summary: string;
  body: string;
}

/** What a body left out says instead. */
export const LEFT_OUT = 'Left out to keep this comment within GitHub\'s 65,536-character limit: `edgebench publish --format html` has it.';

/** `head`, the folded blocks, `tail`, joined by blank lines; bodies replaced by LEFT_OUT, longest first, until it fits `limit`. */
export function fitComment(head: readonly string[], blocks: readonly Folded[], tail: readonly string[], limit = GITHUB_COMMENT_LIMIT): string {
  const bodies = blocks.map((b) => b.body);
  const render = (): string => `${[...head, ...blocks.map((b, i) => details(b.summary, bodies[i] as string)), ...tail].join('\n\n')}\n`;
  let text = render();
  while (text.length > limit) {
    let longest = -1;
    bodies.forEach((b, i) => {
      if (b !== LEFT_OUT && (longest < 0 || b.length > (bodies[longest] as string).length)) longest = i;
    });
    if (longest < 0) break;
    bodies[longest] = LEFT_OUT;
    text = render();
  }
  return text;
}
