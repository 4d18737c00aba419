/** Parses Markdown as GitHub does (CommonMark + GFM tables, footnotes, autolinks) into an mdast tree, with small readers. */
import type { Html, Nodes, Root, RootContent, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

/** The GFM syntax tree of `md`. */
export function parseGfm(md: string): Root {
  return fromMarkdown(md, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

/** The text a node renders (escapes resolved, markup dropped). */
export function textOf(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string' && node.type !== 'html') return node.value;
  if (node.type === 'footnoteReference') return `[^${node.identifier}]`;
  return 'children' in node ? (node.children as Nodes[]).map(textOf).join('') : '';
}

/** Whether a top-level node opens a folded block. */
export function isDetails(node: RootContent): node is Html {
  return node.type === 'html' && node.value.trimStart().startsWith('<details>');
}

/** The top-level nodes before the first `<details>` block. */
export function beforeDetails(root: Root): RootContent[] {
  const i = root.children.findIndex(isDetails);
  return i < 0 ? root.children : root.children.slice(0, i);
}

/** A table's rows as cell texts (the header row first). */
export function tableTexts(t: Table): string[][] {
  return t.children.map((row) => row.children.map((cell) => textOf(cell)));
}
