// The import graph of the repository's TypeScript, read with the TypeScript parser (no type checking):
// every static import/export-from, side-effect import and dynamic import() of src/, suites/ and bench/.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Importing file, relative to the repository root, with '/' separators. */
  from: string;
  /** The specifier as written. */
  specifier: string;
  /** Resolved file relative to the repository root for a relative specifier; undefined for a package or node: builtin. */
  to: string | undefined;
  /** `import type` / `export type` (erased at run time). */
  typeOnly: boolean;
  line: number;
}

export const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../..');

export function listTs(dir: string): string[] {
  const out: string[] = [];
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return out;
  for (const name of readdirSync(abs)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...listTs(rel));
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out.sort();
}

function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = join(dirname(join(ROOT, from)), specifier);
  const candidates = [base.replace(/\.(m?)js$/, '.$1ts'), base, `${base}.ts`, join(base, 'index.ts')];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? candidates[0]!;
  return relative(ROOT, hit).split('\\').join('/');
}

export function importsOf(file: string): ImportEdge[] {
  const path = join(ROOT, file);
  if (!existsSync(path)) return []; // moved away since it was listed
  const text = readFileSync(path, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (node: ts.Node, specifier: string, typeOnly: boolean): void => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    edges.push({ from: file, specifier, to: resolveSpecifier(file, specifier), typeOnly, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const allTypeNamed =
        clause !== undefined &&
        clause.name === undefined &&
        clause.namedBindings !== undefined &&
        ts.isNamedImports(clause.namedBindings) &&
        clause.namedBindings.elements.length > 0 &&
        clause.namedBindings.elements.every((e) => e.isTypeOnly);
      add(node, node.moduleSpecifier.text, clause?.isTypeOnly === true || allTypeNamed);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) add(node, arg.text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, true);
    }
    if (deep) ts.forEachChild(node, visit);
  };
  // Static imports are top-level statements; walk the whole tree only where a dynamic import() or import type may be.
  const deep = text.includes('import(');
  for (const statement of sf.statements) visit(statement);
  return edges;
}

/** The room of a file: `src/<folder>` (or `src/targets/<layer>`), `suites`, `bench`, `test`. */
export function roomOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'src') {
    if (parts[1] === 'targets' && parts.length > 3) return `src/targets/${parts[2]}`;
    return parts.length > 2 ? `src/${parts[1]}` : 'src';
  }
  return parts[0]!;
}

/** Strongly connected components with more than one file (or a file importing itself), as cycles to print. */
export function cycles(edges: readonly ImportEdge[], within: (f: string) => boolean): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!e.to || !within(e.from) || !within(e.to)) continue;
    if (!graph.has(e.from)) graph.set(e.from, new Set());
    graph.get(e.from)!.add(e.to);
  }
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const sccs: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || graph.get(v)?.has(v)) sccs.push(scc);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  // Print each component as one concrete cycle through its first file (breadth-first path back to it).
  return sccs.map((scc) => {
    const members = new Set(scc);
    const start = [...scc].sort()[0]!;
    const prev = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (!members.has(w)) continue;
        if (w === start) {
          const path = [v];
          while (path[0] !== start) path.unshift(prev.get(path[0]!)!);
          return [...path, start];
        }
        if (!prev.has(w)) {
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    return [...scc, scc[0]!];
  });
}
