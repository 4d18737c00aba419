/** The comment stays within GitHub's limit: the longest folded bodies give way first, with a note, the rest kept. */
import { describe, expect, it } from 'vitest';
import { fitComment, GITHUB_COMMENT_LIMIT, LEFT_OUT } from '../../src/output/pr-fit.js';
import { parseGfm } from './pr-gfm.js';

describe('fitComment', () => {
  it('keeps everything when it fits', () => {
    const text = fitComment(['# head'], [{ summary: 'a', body: 'body a' }], ['tail']);
    expect(text).toBe('# head\n\n<details>\n<summary>a</summary>\n\nbody a\n\n</details>\n\ntail\n');
  });

  it('replaces the longest bodies, longest first, until the comment fits; the head and the tail stay', () => {
    const big = (n: number): string => `${'x'.repeat(99)}\n`.repeat(n);
    const blocks = [{ summary: 'small', body: 'kept' }, { summary: 'huge', body: big(500) }, { summary: 'large', body: big(300) }, { summary: 'medium', body: big(200) }];
    const text = fitComment(['# head'], blocks, ['tail'], GITHUB_COMMENT_LIMIT);
    expect(text.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(text.split(LEFT_OUT)).toHaveLength(2); // only the 50 kB block had to go
    expect(text).toContain('<summary>huge</summary>\n\nLeft out');
    expect(text).toContain('<summary>large</summary>\n\nxxx');
    expect(text).toContain('kept');
    expect(text.endsWith('tail\n')).toBe(true);
    expect(parseGfm(text).children.filter((n) => n.type === 'html' && n.value.startsWith('<details>'))).toHaveLength(4);
  });
});
