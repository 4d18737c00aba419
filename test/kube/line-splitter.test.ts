import { describe, expect, it } from 'vitest';
import { lineSplitter } from '../../src/kube/http.js';

const collect = (): { lines: [string, bigint][]; feed: (chunk: string, at: bigint) => void } => {
  const lines: [string, bigint][] = [];
  return { lines, feed: lineSplitter((l, at) => void lines.push([l, at])) };
};

describe('watch line splitter', () => {
  it('yields each complete line of a chunk and skips blank ones', () => {
    const c = collect();
    c.feed('{"a":1}\n\n{"b":2}\n  \n', 5n);
    expect(c.lines).toEqual([['{"a":1}', 5n], ['{"b":2}', 5n]]);
  });

  it('joins a line split across chunks and stamps it with the chunk that completed it', () => {
    const c = collect();
    c.feed('{"a":', 1n);
    c.feed('1', 2n);
    expect(c.lines).toEqual([]);
    c.feed('}\n{"b"', 3n);
    c.feed(':2}\n', 4n);
    expect(c.lines).toEqual([['{"a":1}', 3n], ['{"b":2}', 4n]]);
  });

  it('carries nothing over once a chunk ends on a newline', () => {
    const c = collect();
    c.feed('x\n', 1n);
    c.feed('y\n', 2n);
    expect(c.lines).toEqual([['x', 1n], ['y', 2n]]);
  });
});
