/** The comparison block of the PR comment: changed metrics in a table; unchanged metrics and pairs not compared counted. No I/O. */
import type { PairComparison } from '../compare/compare.js';
import { compareMarkdown } from './compare-table.js';
import { mdText } from './pr-md.js';

/** Changes shown in the table (a verdict either way); the rest (no change, inconclusive) are counted below it. */
const SHOWN: ReadonlySet<string> = new Set(['regressed', 'improved', 'changed']);

/** Pairs that compared metrics, keeping only metrics with a verdict either way (regressed, improved, changed). */
function changedPairs(pairs: readonly PairComparison[]): PairComparison[] {
  return pairs.filter((p) => !p.skipped).map((p) => ({ ...p, metrics: p.metrics.filter((m) => SHOWN.has(m.change)) })).filter((p) => p.metrics.length);
}

/** The table of metrics that changed either way, then one line counting what it leaves out (no change, inconclusive, pairs not compared or refused). */
export function comparisonMarkdown(pairs: readonly PairComparison[], statistic?: string): string {
  const changed = changedPairs(pairs);
  const count = (change: string): number => pairs.reduce((s, p) => s + (p.skipped ? 0 : p.metrics.filter((m) => m.change === change).length), 0);
  const unchanged = count('no change');
  const inconclusive = count('inconclusive');
  const skipped = pairs.filter((p) => p.skipped).length;
  const refused = pairs.filter((p) => !p.skipped && p.differences.length && !p.forced);
  const out = [changed.length ? compareMarkdown(changed, statistic) : 'No metric changed either way.'];
  const counts = [`${unchanged} metric${unchanged === 1 ? '' : 's'} without change`];
  if (inconclusive) counts.push(`${inconclusive} inconclusive (the CI of the ratio straddles the threshold)`);
  if (skipped) counts.push(`${skipped} pair${skipped === 1 ? '' : 's'} not compared (a side not measured or invalid)`);
  if (refused.length) counts.push(`${refused.length} refused: ${mdText([...new Set(refused.map((p) => p.differences.join('; ')))].join(' · '))}`);
  out.push('', `Not in the table: ${counts.join('; ')}.`);
  return out.join('\n');
}
