/** Comparison tables (text and Markdown). No I/O. */
import type { MetricComparison, PairComparison } from '../compare/compare.js';
import { formatValue, markdownTable, textTable } from './format.js';

export const COMPARE_COLUMNS = ['comparison', 'metric', 'base', 'candidate', 'ratio [CI]', 'verdict'];

/** Formats a ratio with its CI. */
function ratioText(m: MetricComparison): string {
  const f = (x: number): string => (!Number.isFinite(x) ? (Number.isNaN(x) ? 'n/a' : '∞') : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(3));
  return `${f(m.ratio)}× [${f(m.ci.low)}–${f(m.ci.high)}]`;
}

/** Rows: one per metric of each pair; refused or skipped pairs get one row saying why. */
export function compareRows(pairs: readonly PairComparison[], statistic = 'p50'): string[][] {
  const rows: string[][] = [];
  for (const p of pairs) {
    if (p.skipped) {
      rows.push([p.label, '-', '-', '-', '-', `not compared: ${p.skipped}`]);
      continue;
    }
    if (p.differences.length && !p.forced) {
      rows.push([p.label, '-', '-', '-', '-', `refused: ${p.differences.join('; ')} (use --force)`]);
      continue;
    }
    for (const m of p.metrics) {
      rows.push([
        p.label + (p.forced ? ` (forced over: ${p.differences.join('; ')})` : ''),
        `${m.metric} ${statistic}`,
        formatValue(m.base, m.unit),
        formatValue(m.candidate, m.unit),
        ratioText(m),
        m.change === 'regressed' ? `${m.word} (regression)` : m.change === 'inconclusive' ? `inconclusive: ${m.why ?? ''}` : m.word,
      ]);
    }
  }
  return rows;
}

/** Text table. */
export function compareText(pairs: readonly PairComparison[], statistic = 'p50'): string {
  return textTable(COMPARE_COLUMNS, compareRows(pairs, statistic));
}

/** Markdown table. */
export function compareMarkdown(pairs: readonly PairComparison[], statistic = 'p50'): string {
  return markdownTable(COMPARE_COLUMNS, compareRows(pairs, statistic));
}

/** One line per compared pair: its verdict, the rounds behind each side, the CI level and the load on each side. */
export function compareNotes(pairs: readonly PairComparison[]): string[] {
  const out: string[] = [];
  for (const p of pairs) {
    const m = p.metrics[0];
    if (!p.verdict || !m) continue;
    const rounds = m.rounds.paired
      ? `${m.rounds.base} rounds each, interleaved in one run (resampled paired)`
      : `base ${m.rounds.base} round(s), candidate ${m.rounds.candidate} round(s), separate runs`;
    const one = m.rounds.base < 2 || m.rounds.candidate < 2 ? ' — with one round on a side, run-to-run noise is not in the CI (run with --rounds)' : '';
    out.push(`${p.label}: ${p.verdict}; ${rounds}${one}; CIs at ${(m.ci.level * 100).toFixed(1)}% each (95% over the pair's metrics); ${p.load ?? ''}`);
  }
  return out;
}
