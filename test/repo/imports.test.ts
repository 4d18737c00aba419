// The rooms of the house and who may import whom (docs/architecture.md, "Import rules"). Reads every import of
// src/, suites/ and bench/ with the TypeScript parser (test/repo/import-graph.ts) and checks the rules below.
// An allow-list entry is an edge that exists and is tolerated for now: a NEW edge of its kind fails. Entries
// marked TODO(issue 15) are in code being moved by the structure work of issue 15 and should go with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, type ImportEdge, importsOf, listTs, ROOT, roomOf } from './import-graph.js';

/**
 * A room's level: a room may import rooms of its own level or below, never above ("upward").
 * A new folder under src/ must be given a level here (and a paragraph in docs/architecture.md).
 */
const LEVEL: Readonly<Record<string, number>> = {
  'src/core': 0, // statistics and clocks: no I/O
  'src/types': 0, // ambient declarations
  'src/util': 1,
  'src/host': 1, // readers of this machine (procfs, cgroupfs, PSI)
  'src/result': 2,
  'src/env': 2,
  'src/fixtures': 2,
  'src/load': 2,
  'src/image': 2,
  'src/kube': 2, // the kube toolkit
  'src/provision': 2,
  'src/targets': 3, // the driver interface and registry; each layer folder src/targets/<layer> is level 3 too
  'src/run': 4,
  'src/claims': 4,
  'src/compare': 4,
  'src/history': 4,
  suites: 5,
  'src/output': 5, // every output format, one Renderer each (was src/report + src/publish)
  'src/plan': 6,
  'src/cli': 7,
  bench: 8,
};

const levelOf = (room: string): number | undefined => LEVEL[room] ?? (room.startsWith('src/targets/') ? LEVEL['src/targets'] : undefined);

/** Upward imports that exist today ("from -> to"); a new one fails. */
const ALLOWED_UPWARD = new Set<string>([
  // util reads data files validated against their JSON schema with the result validator (ajv set-up lives there).
  'src/util/data-file.ts -> src/result/validate.ts',
  // TODO(issue 15): drivers — the kube doctor rows format bytes with the report formatter (a util-level helper).
  'src/targets/kube/doctor.ts -> src/output/format.ts',
]);

/** Imports from one layer's folder into another's (src/targets/<a>/ -> src/targets/<b>/) that exist today. */
const ALLOWED_CROSS_LAYER = new Set<string>([
  // The kube layer runs the CRI layer's Wasm pods: the same runtime-handler annotations on its pods ...
  'src/targets/kube/pod-target.ts -> src/targets/cri/pod.ts',
  // ... and, with --opt on the node, asks the node's CRI socket which handler it has (a dynamic import).
  'src/targets/kube/pod-target.ts -> src/targets/cri/runtime.ts',
]);

/** CLI imports of a layer's internals (src/cli -> src/targets/<layer>/): none since the layers register their hooks (layers.ts). */
const ALLOWED_CLI_TO_LAYER = new Set<string>([]);

/** The composition root: the one place src/ loads the suites (and, through src/targets/index.ts, the layers). */
const SUITE_LOADERS = new Set<string>(['src/cli/main.ts -> suites/index.ts']);

/** I/O modules src/core may not import: statistics do no I/O. */
const CORE_FORBIDDEN = /^(node:)?(fs|fs\/promises|child_process|net|dgram|http|https|http2|tls|worker_threads|cluster|readline)$/;

const files = [...listTs('src'), ...listTs('suites'), ...listTs('bench')];
const edges: ImportEdge[] = files.flatMap((f) => importsOf(f));
const local = edges.filter((e): e is ImportEdge & { to: string } => e.to !== undefined);
const name = (e: ImportEdge): string => `${e.from} -> ${e.to ?? e.specifier}`;
const where = (e: ImportEdge): string => `${e.from}:${e.line} imports ${e.to ?? e.specifier}${e.typeOnly ? ' (type only)' : ''}`;
const isLayer = (room: string): boolean => room.startsWith('src/targets/');

/** Edges that break a rule: what the rule reports for the tree, given as a list of `where()` lines. */
function violations(all: readonly (ImportEdge & { to: string })[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const flag = (rule: string, e: ImportEdge): void => {
    out[rule] = [...(out[rule] ?? []), where(e)];
  };
  for (const e of all) {
    const a = roomOf(e.from);
    const b = roomOf(e.to);
    if (a === 'src/core' && b !== 'src/core') flag('src/core imports only src/core', e);
    if (a.startsWith('src') && ['suites', 'bench', 'test'].includes(b) && !SUITE_LOADERS.has(name(e))) flag('src/ never imports suites/, bench/ or test/', e);
    if (a === 'suites' && !(b === 'suites' || b.startsWith('src'))) flag('suites import only src/ (and suites/)', e);
    if (a === 'suites' && isLayer(b)) flag("suites import no layer's folder (src/targets/<layer>/): they see drivers only", e);
    if (a === 'bench' && b === 'test') flag('bench never imports test/', e);
    if (b === 'src/cli' && a !== 'src/cli' && a !== 'bench' && !ALLOWED_UPWARD.has(name(e))) flag('src/cli is imported by nobody in src/ but src/cli', e);
    if (isLayer(a) && isLayer(b) && a !== b && !ALLOWED_CROSS_LAYER.has(name(e))) flag("a layer never imports another layer's folder", e);
    if (a === 'src/targets' && isLayer(b) && e.from !== 'src/targets/index.ts')
      flag("src/targets/*.ts (shared) imports no layer's folder; only index.ts lists them", e);
    if (a === 'src/cli' && isLayer(b) && !ALLOWED_CLI_TO_LAYER.has(name(e))) flag("src/cli imports no layer's internals (src/targets/<layer>/)", e);
    const la = levelOf(a);
    const lb = levelOf(b);
    if (a.startsWith('src') && la === undefined) flag(`room ${a} has no level in test/repo/imports.test.ts LEVEL`, e);
    if (la !== undefined && lb !== undefined && lb > la && !ALLOWED_UPWARD.has(name(e)) && !SUITE_LOADERS.has(name(e))) flag('no upward imports (LEVEL)', e);
  }
  for (const [k, v] of Object.entries(out)) out[k] = [...new Set(v)];
  return out;
}

describe('import graph', () => {
  it('has no import cycle in src/ or suites/', () => {
    const inTree = (f: string): boolean => f.startsWith('src/') || f.startsWith('suites/');
    const found = cycles(edges, inTree);
    const runtime = cycles(
      edges.filter((e) => !e.typeOnly),
      inTree,
    );
    const upward = local.filter((e) => {
      const la = levelOf(roomOf(e.from));
      const lb = levelOf(roomOf(e.to));
      return la !== undefined && lb !== undefined && lb > la && !SUITE_LOADERS.has(name(e));
    });
    const crossLayer = local.filter((e) => isLayer(roomOf(e.from)) && isLayer(roomOf(e.to)) && roomOf(e.from) !== roomOf(e.to));
    console.log(
      `imports: ${files.length} files, ${edges.length} imports (${local.length} local, ${edges.filter((e) => e.typeOnly).length} type-only); ` +
        `cycles ${found.length} (${runtime.length} at run time); upward ${upward.length}; cross-layer ${crossLayer.length}; ` +
        `cli -> layer ${local.filter((e) => roomOf(e.from) === 'src/cli' && isLayer(roomOf(e.to))).length}`,
    );
    for (const e of upward) console.log(`  upward: ${where(e)}`);
    expect(
      found.map((c) => c.join(' -> ')),
      'import cycles',
    ).toEqual([]);
  });

  it('keeps the room rules', () => {
    const found = violations(local);
    const core = edges.filter((e) => e.from.startsWith('src/core/') && CORE_FORBIDDEN.test(e.specifier));
    if (core.length > 0) found['src/core does no I/O (no fs, child_process, net, …)'] = core.map(where);
    // Allow-list entries whose import is gone: say so (the list should shrink), without failing.
    const present = new Set(local.map(name));
    const stale = [...ALLOWED_UPWARD, ...ALLOWED_CROSS_LAYER, ...ALLOWED_CLI_TO_LAYER, ...SUITE_LOADERS].filter((e) => !present.has(e));
    if (stale.length > 0) console.log(`imports: allow-list entries no longer needed (remove them from test/repo/imports.test.ts):\n  ${stale.join('\n  ')}`);
    expect(found).toEqual({});
  });

  it('every room has a level and a paragraph in docs/architecture.md', () => {
    const rooms = [...new Set(files.map(roomOf))].filter((r) => r !== 'src');
    expect(rooms.filter((r) => levelOf(r) === undefined)).toEqual([]);
    const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    const folders = [...new Set(rooms.map((r) => (r.startsWith('src/targets/') ? 'src/targets' : r)))];
    expect(folders.filter((r) => !doc.includes(`\`${r}/\``))).toEqual([]);
  });

  it('reports a bad import (the rules can fail)', () => {
    const fake = (from: string, to: string): ImportEdge & { to: string } => ({ from, to, specifier: to, typeOnly: false, line: 1 });
    const found = violations([
      fake('src/core/summary.ts', 'src/util/errors.ts'),
      fake('src/kube/http.ts', 'src/targets/target.ts'),
      fake('src/targets/oci/docker.ts', 'src/targets/cri/client.ts'),
      fake('src/run/cell.ts', 'suites/cold-start.ts'),
      fake('suites/cold-start.ts', 'bench/stand-in.ts'),
      fake('src/result/io.ts', 'src/cli/args.ts'),
      fake('src/cli/commands/run.ts', 'src/targets/oci/direct.ts'),
    ]);
    expect(Object.keys(found).sort()).toEqual(
      [
        "a layer never imports another layer's folder",
        'no upward imports (LEVEL)',
        'src/ never imports suites/, bench/ or test/',
        'src/cli is imported by nobody in src/ but src/cli',
        "src/cli imports no layer's internals (src/targets/<layer>/)",
        'src/core imports only src/core',
        'suites import only src/ (and suites/)',
      ].sort(),
    );
    expect(found['no upward imports (LEVEL)']).toEqual([
      'src/core/summary.ts:1 imports src/util/errors.ts',
      'src/kube/http.ts:1 imports src/targets/target.ts',
      'src/run/cell.ts:1 imports suites/cold-start.ts',
      'suites/cold-start.ts:1 imports bench/stand-in.ts',
      'src/result/io.ts:1 imports src/cli/args.ts',
    ]);
    expect(cycles([fake('src/a.ts', 'src/b.ts'), fake('src/b.ts', 'src/c.ts'), fake('src/c.ts', 'src/a.ts')], () => true)).toEqual([
      ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/a.ts'],
    ]);
  });
});
