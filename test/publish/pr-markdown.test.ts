/** The PR comment parsed as GitHub-flavoured Markdown: headline, one table per suite, reasons once as footnotes, folded details. */
import type { FootnoteDefinition, Heading, Paragraph, Table } from 'mdast';
import { describe, expect, it } from 'vitest';
import type { ClaimVerdict } from '../../src/claims/types.js';
import { comparePair } from '../../src/compare/compare.js';
import { prMarkdown } from '../../src/output/pr-markdown.js';
import { COMMENT_MARKER, type ReportInput } from '../../src/output/report-input.js';
import { beforeDetails, isDetails, parseGfm, tableTexts, textOf } from './pr-gfm.js';
import { measured, notMeasured, spread, type CellSpec } from './pr-results.js';

const WASMER = 'wasmer not found on PATH; to measure it: install Wasmer and put `wasmer` on PATH';
const OCI = 'no OCI runtime: crun not found on PATH (needs root and <cgroup v2>)';
const KUBE = 'kubeconfig /var/lib/edgebench/dev-cluster/kubeconfig absent: the local cluster is not up';
const ms = (x: number): number => x * 1e6;
const cold = (layer: CellSpec['layer'], runtime: string, fixture = 'noop'): CellSpec => ({ suite: 'cold-start', layer, runtime, fixture });

const native = measured(cold('process', 'native'), { wall: Array.from({ length: 100 }, (_, i) => ms(i + 1)), peak_rss: spread(100, 1_000_000, 1_200_000) }, { peak_rss: 'bytes' });
const baseline = measured(cold('process', 'native'), { wall: Array.from({ length: 100 }, (_, i) => ms((i + 1) / 2)), peak_rss: spread(100, 1_000_000, 1_200_000) }, { peak_rss: 'bytes' });
const observations = [
  native,
  measured(cold('process', 'node-wasi'), { wall: spread(50, ms(30), ms(45)) }),
  notMeasured(cold('process', 'wasmer'), WASMER),
  notMeasured(cold('process', 'wasmer', 'hello'), WASMER),
  measured(cold('process', 'iwasm'), { wall: spread(30, ms(2), ms(3)) }, {}, 30),
  measured(cold('embedded', 'node-wasi-inproc'), { wall: spread(80, 200_000, 400_000) }),
  notMeasured(cold('oci', 'crun'), OCI),
  notMeasured(cold('oci', 'youki'), OCI),
  measured({ suite: 'scale-out', layer: 'kube', runtime: 'wasmedge', label: 'wasmedge-from0', fixture: 'http', simulated: true }, { pod_scale_to_ready: spread(20, ms(900), ms(1500)), first_ready: spread(5, ms(800), ms(900)) }),
  notMeasured({ suite: 'scale-out', layer: 'kube', runtime: 'runc', label: 'runc-from0', fixture: 'http' }, KUBE),
  notMeasured({ suite: 'autoscale', layer: 'kube', runtime: 'wasmedge', fixture: 'http' }, KUBE),
];
const verdict = (claimId: string, layer: ClaimVerdict['layer'], v: ClaimVerdict['verdict']): ClaimVerdict => ({ claimId, text: claimId, layer, subject: '-', verdict: v, requirement: '<= 6 ms', why: 'test', runIds: [] });
const input: ReportInput = {
  title: 'nightly', generatedAt: '2026-12-01T03:00:00Z', observations,
  verdicts: [verdict('a', 'process', 'confirmed'), verdict('b', 'process', 'confirmed'), verdict('c', 'process', 'refuted'), verdict('d', 'kube', 'not-measured'), verdict('e', 'kube', 'not-measured')],
  comparisons: [comparePair(baseline, native, { threshold: 0.05, seed: 1, resamples: 500 })], baseline: 'nightly-0', compareStatistic: 'p50',
};
const md = prMarkdown(input);
const root = parseGfm(md);
const top = beforeDetails(root);
const tables = top.filter((n): n is Table => n.type === 'table');
const HEADER = ['layer', 'runtime', 'fixture', 'n', 'unit', 'min', 'mean ± σ', 'p50 [95 % CI]', 'p95', 'p99', 'max', 'failures'];

describe('PR comment', () => {
  it('starts with the marker, the title and a headline paragraph: claims per layer, regressions, cells', () => {
    expect(md.startsWith(`${COMMENT_MARKER}\n## nightly\n`)).toBe(true);
    const [marker, title, head] = root.children;
    expect(marker?.type).toBe('html');
    expect(title?.type === 'heading' && textOf(title)).toBe('nightly');
    expect(head?.type).toBe('paragraph');
    expect(textOf(head as Paragraph).split('\n')).toEqual([
      'Claims — process: 2 confirmed, 1 refuted · kube: 2 not measured.',
      'Regressions: 1 against baseline nightly-0 (2 metrics compared in 1 pair; a regression\'s 95 % CI of the ratio lies wholly beyond the threshold).',
      'Cells: 4 of 11 measured (1 simulated), 1 invalid, 6 not measured (reasons in the footnotes).',
    ]);
  });

  it('one table per suite with measured cells, with the expected header and one row per measured cell', () => {
    const headings = top.filter((n): n is Heading => n.type === 'heading' && n.depth === 3).map(textOf);
    expect(headings).toEqual(['cold-start · wall', 'scale-out · pod_scale_to_ready', 'autoscale']);
    expect(tables).toHaveLength(2); // autoscale measured nothing: its heading and not-measured line only
    const [coldT, scaleT] = tables.map(tableTexts);
    expect(coldT?.[0]).toEqual(HEADER);
    expect(coldT?.slice(1).map((r) => `${r[0]}/${r[1]}/${r[2]}`)).toEqual(['embedded/node-wasi-inproc/noop', 'process/native/noop', 'process/node-wasi/noop', 'process/iwasm/noop']);
    // Two metrics in scale-out: the first is its headline metric; one row for the one measured cell.
    expect(scaleT?.[0]).toEqual(HEADER);
    expect(scaleT?.slice(1).map((r) => r.slice(0, 5))).toEqual([['kube', 'wasmedge-from0 [simulated]', 'http', '20', 's']]);
  });

  it('a row\'s figures are the result\'s, in one unit per row', () => {
    const row = tableTexts(tables[0] as Table).find((r) => r[1] === 'native') as string[];
    const ci = native.result.metrics.find((m) => m.name === 'wall')?.ci.p50;
    const f = (ns: number): string => (ns / 1e6).toFixed(2);
    expect(row.slice(3)).toEqual(['100', 'ms', '1.00', '50.50 ± 29.01', `50.00 [${f(ci?.low ?? 0)}–${f(ci?.high ?? 0)}]`, '95.00', '99.00', '100.00', '0/100']);
    const inproc = tableTexts(tables[0] as Table).find((r) => r[1] === 'node-wasi-inproc') as string[];
    expect(inproc[4]).toBe('µs');
    const iwasm = tableTexts(tables[0] as Table).find((r) => r[1] === 'iwasm') as string[];
    expect(iwasm.slice(3, 6)).toEqual(['30', '—', '—']);
    expect(iwasm[11]).toMatch(/^30\/60 invalid\[\^\d+\]$/);
  });

  it('each not-measured (or invalid) reason once, as a footnote that lists its cells; every footnote referenced', () => {
    const defs = root.children.filter((n): n is FootnoteDefinition => n.type === 'footnoteDefinition');
    const texts = defs.map(textOf);
    expect(defs).toHaveLength(4);
    for (const reason of [WASMER, OCI, KUBE]) {
      expect(texts.filter((t) => t.includes(reason))).toHaveLength(1);
      expect(textOf(root).split(reason)).toHaveLength(2); // nowhere else in the comment
    }
    expect(texts.find((t) => t.includes(KUBE))).toBe(`${KUBE} — 2 cells: scale-out at kube: runc-from0 × http · autoscale at kube: wasmedge × http.`);
    expect(texts.find((t) => t.includes(WASMER))).toMatch(/ — 2 cells: cold-start at process: wasmer × noop, hello\.$/);
    expect(texts.filter((t) => t.startsWith('invalid: 30 of 60 measured samples failed'))).toHaveLength(1);
    const refs = new Set<string>();
    const walk = (n: { type: string; identifier?: string; children?: unknown[] }): void => {
      if (n.type === 'footnoteReference' && n.identifier) refs.add(n.identifier);
      for (const c of (n.children ?? []) as Array<typeof n>) walk(c);
    };
    walk(root);
    expect([...refs].sort()).toEqual(defs.map((d) => d.identifier).sort());
    const lines = top.filter((n): n is Paragraph => n.type === 'paragraph').map(textOf).filter((t) => t.startsWith('Not measured'));
    expect(lines).toEqual([
      'Not measured: 4 of 8 cells — process: wasmer[^2] · oci: (crun, youki)[^3].',
      'Not measured: 1 of 2 cells — kube: runc-from0[^4].',
      'Not measured: 1 of 1 cells — kube: wasmedge[^4].',
    ]);
  });

  it('per-phase tables, claims, comparison and environment are folded in <details> blocks after the tables', () => {
    const summaries = root.children.filter(isDetails).map((n) => /<summary>(.*)<\/summary>/.exec(n.value)?.[1]);
    expect(summaries).toEqual(['cold-start: every metric (per phase)', 'scale-out: every metric (per phase)', 'Claims: 2 confirmed, 1 refuted, 0 inconclusive, 2 not measured', 'Comparison with the baseline (nightly-0)', 'Environment']);
    const phases = root.children.filter((n): n is Table => n.type === 'table').map(tableTexts).find((t) => t[0]?.[3] === 'metric' && t.some((r) => r[3] === 'peak_rss'));
    const rss = phases?.find((r) => r[1] === 'native' && r[3] === 'peak_rss');
    expect(rss?.slice(4, 6)).toEqual(['100', 'MiB']);
    expect(md).toMatch(/<summary>Environment<\/summary>\n\nAMD EPYC 7B13, 2 cores, 8\.00 GiB/);
  });
});
