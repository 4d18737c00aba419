/**
 * JUnit XML: one test case per claim verdict (refuted → failure, inconclusive/not measured → skipped); with a
 * comparison, one per compared metric (a regression → failure) and per cell the gate could not cover (missing on one
 * side or not compared → failure unless allowed, not measured on both sides → skipped). No I/O.
 */
import type { ClaimVerdict } from '../claims/types.js';
import { refused, type PairComparison } from '../compare/compare.js';
import type { Missing } from '../compare/gate.js';
import type { Renderer } from './renderer.js';

/** A comparison against a baseline, for its own test suite. */
export interface JunitComparison {
  /** What was compared against (a run id or path). */
  baseline: string;
  statistic: string;
  pairs: readonly PairComparison[];
  /** Cells and metrics the gate could not cover (gateOf). */
  missing: readonly Missing[];
  /** Missing cells are skipped instead of failed (compare --allow-missing). */
  allowMissing?: boolean;
  force?: boolean;
}

/** Escapes text for XML attributes and content. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Test cases of a comparison: [classname, name, outcome, message]. */
function comparisonCases(c: JunitComparison): Array<{ cls: string; name: string; outcome: 'pass' | 'failure' | 'skipped'; type?: string; message: string }> {
  const out: ReturnType<typeof comparisonCases> = [];
  for (const p of c.pairs) {
    if (p.skipped || refused(p, !!c.force)) continue; // listed among the missing
    for (const m of p.metrics) {
      const ratio = `${m.ratio.toFixed(3)}× [${m.ci.low.toFixed(3)}–${m.ci.high.toFixed(3)}] (95% CI)`;
      const text = `${m.metric} ${c.statistic} ${m.word}: candidate ÷ base = ${ratio}`;
      out.push({ cls: `compare.${m.metric}`, name: `${p.label} ${m.metric} ${c.statistic}`, outcome: m.change === 'regressed' ? 'failure' : 'pass', type: 'regression', message: m.change === 'regressed' ? `regression: ${text}` : text });
    }
  }
  for (const m of c.missing) {
    const fails = m.always || (m.blocking && !c.allowMissing);
    out.push({ cls: 'compare.cells', name: m.what, outcome: fails ? 'failure' : 'skipped', type: 'missing', message: `${m.why}` });
  }
  return out;
}

/** Renders verdicts as a JUnit XML document (a testsuite per layer), and a comparison as a testsuite of its own. */
export function junitXml(verdicts: readonly ClaimVerdict[], name = 'edgebench claims', comparison?: JunitComparison): string {
  const byLayer = new Map<string, ClaimVerdict[]>();
  for (const v of verdicts) byLayer.set(v.layer, [...(byLayer.get(v.layer) ?? []), v]);
  const count = (list: readonly ClaimVerdict[], k: ClaimVerdict['verdict'][]): number => list.filter((v) => k.includes(v.verdict)).length;
  const cases = comparison ? comparisonCases(comparison) : [];
  const cFailed = cases.filter((x) => x.outcome === 'failure').length;
  const cSkipped = cases.filter((x) => x.outcome === 'skipped').length;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${xmlEscape(name)}" tests="${verdicts.length + cases.length}" failures="${count(verdicts, ['refuted']) + cFailed}" skipped="${count(verdicts, ['inconclusive', 'not-measured']) + cSkipped}">`];
  for (const [layer, list] of byLayer) {
    lines.push(`  <testsuite name="claims at layer ${xmlEscape(layer)}" tests="${list.length}" failures="${count(list, ['refuted'])}" skipped="${count(list, ['inconclusive', 'not-measured'])}">`);
    for (const v of list) {
      const open = `    <testcase classname="claims.${xmlEscape(layer)}.${xmlEscape(v.claimId)}" name="${xmlEscape(`${v.text} [${v.subject}] ${v.requirement}`)}"`;
      if (v.verdict === 'confirmed') lines.push(`${open}><system-out>${xmlEscape(v.why)}</system-out></testcase>`);
      else if (v.verdict === 'refuted') lines.push(`${open}><failure message="${xmlEscape(`refuted: ${v.why}`)}" type="refuted"/></testcase>`);
      else lines.push(`${open}><skipped message="${xmlEscape(`${v.verdict}: ${v.why}`)}"/></testcase>`);
    }
    lines.push('  </testsuite>');
  }
  if (comparison) {
    lines.push(`  <testsuite name="${xmlEscape(`compare against ${comparison.baseline}`)}" tests="${cases.length}" failures="${cFailed}" skipped="${cSkipped}">`);
    for (const x of cases) {
      const open = `    <testcase classname="${xmlEscape(x.cls)}" name="${xmlEscape(x.name)}"`;
      if (x.outcome === 'pass') lines.push(`${open}><system-out>${xmlEscape(x.message)}</system-out></testcase>`);
      else if (x.outcome === 'failure') lines.push(`${open}><failure message="${xmlEscape(x.message)}" type="${x.type}"/></testcase>`);
      else lines.push(`${open}><skipped message="${xmlEscape(x.message)}"/></testcase>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

/** `junit`: claims as test cases; with a baseline compared, a test case per compared metric and per cell missing or not compared. */
export const junitRenderer: Renderer = {
  format: 'junit',
  render: (input) =>
    input.comparisons && input.baseline
      ? junitXml(input.verdicts ?? [], 'edgebench claims and comparison', {
          baseline: input.baseline,
          statistic: input.compareStatistic ?? 'p50',
          pairs: input.comparisons,
          missing: input.missing ?? [],
          allowMissing: !!input.options?.allowMissing,
        })
      : junitXml(input.verdicts ?? [], 'edgebench claims'),
};
