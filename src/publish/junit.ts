/** JUnit XML: one test case per claim verdict (refuted → failure, inconclusive/not measured → skipped). No I/O. */
import type { ClaimVerdict } from '../claims/types.js';

/** Escapes text for XML attributes and content. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Renders verdicts as a JUnit XML document (a testsuite per layer). */
export function junitXml(verdicts: readonly ClaimVerdict[], name = 'edgebench claims'): string {
  const byLayer = new Map<string, ClaimVerdict[]>();
  for (const v of verdicts) byLayer.set(v.layer, [...(byLayer.get(v.layer) ?? []), v]);
  const count = (list: readonly ClaimVerdict[], k: ClaimVerdict['verdict'][]): number => list.filter((v) => k.includes(v.verdict)).length;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${xmlEscape(name)}" tests="${verdicts.length}" failures="${count(verdicts, ['refuted'])}" skipped="${count(verdicts, ['inconclusive', 'not-measured'])}">`];
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
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
