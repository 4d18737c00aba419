/**
 * The compare gate fails closed. A name the user typed that matches nothing (a metric) is bad input; cells present on
 * one side only, cells not compared (a side not measured or invalid, a refused pair) and metrics the candidate lost are
 * listed, and they fail the gate unless allowed; a gate that compared nothing never passes. Inconclusive comparisons
 * (a CI straddling the minimum effect, or a change the load difference explains) pass with a warning, or fail with
 * their own exit code when asked. No I/O.
 */
import type { Observation } from '../result/observation.js';
import { displayRuntime } from '../result/label.js';
import type { Result } from '../result/types.js';
import { UserError } from '../util/errors.js';
import { refused, type PairComparison } from './compare.js';

/** A cell or metric the comparison could not cover. */
export interface Missing {
  /** What is missing: a cell ("cold-start process/native/noop") or a cell's metric. */
  what: string;
  /** Why, in words: "missing from the candidate", "no base", "candidate not measured: …". */
  why: string;
  /** Whether it fails the gate when missing cells are not allowed (false: reported only, e.g. not measured on both sides). */
  blocking: boolean;
  /** Fails the gate even when missing cells are allowed (an invalid candidate result). */
  always?: boolean;
}

/** The gate's verdict. */
export interface Gate {
  /** "cell: metric, metric" per pair with a regression. */
  regressions: string[];
  /** "cell: metric (why)" per pair whose verdict is inconclusive (and no regression). */
  inconclusive: string[];
  missing: Missing[];
  /** Metric comparisons made. */
  compared: number;
  verdict: 'pass' | 'regression' | 'missing' | 'nothing compared' | 'inconclusive';
  /** One line saying why (printed last). */
  reason: string;
  /** 0 pass (inconclusive pairs warn); 1 a regression or blocking missing cells; 2 nothing compared; 4 inconclusive, when asked to fail on it. */
  exitCode: 0 | 1 | 2 | 4;
}

/** How a cell is named in messages. */
export function cellName(r: Result): string {
  return `${r.suite} ${r.layer}/${displayRuntime(r)}/${r.workload?.name ?? '-'}`;
}

/** Metric names carried by measured results, sorted. */
export function metricNames(observations: readonly Observation[]): string[] {
  return [...new Set(observations.flatMap((o) => (o.result.status === 'ok' ? o.result.metrics.map((m) => m.name) : [])))].sort();
}

/** Refuses metric names no measured result carries (a typo would otherwise drop every pair and pass), naming the valid ones. */
export function checkMetricNames(requested: readonly string[] | undefined, observations: readonly Observation[]): void {
  if (!requested?.length) return;
  const known = metricNames(observations);
  if (!known.length) return; // nothing measured: the gate says "nothing compared" with the reasons
  const unknown = requested.filter((m) => !known.includes(m));
  if (unknown.length) throw new UserError(`compare: --metric ${unknown.join(',')}: no such metric in these results (metrics there: ${known.join(', ')})`);
}

/** Base observations that no pair uses. */
export function unpairedBases(bases: readonly Observation[], pairs: ReadonlyArray<readonly [Observation, Observation]>): Observation[] {
  const used = new Set(pairs.map(([b]) => b));
  return bases.filter((b) => !used.has(b));
}

/** The gate over compared pairs and the cells found on one side only. */
export function gateOf(
  pairs: readonly PairComparison[],
  baseOnly: readonly Observation[],
  candidateOnly: readonly Observation[],
  opts: { force?: boolean; allowMissing?: boolean; metrics?: readonly string[]; failOnInconclusive?: boolean } = {},
): Gate {
  const missing: Missing[] = [];
  for (const o of baseOnly) missing.push({ what: cellName(o.result), why: 'missing from the candidate', blocking: true });
  for (const o of candidateOnly) missing.push({ what: cellName(o.result), why: 'no base (present in the candidate only)', blocking: true });
  let compared = 0;
  for (const p of pairs) {
    const b = p.base.result;
    const c = p.candidate.result;
    const what = cellName(c) === cellName(b) ? cellName(c) : `${cellName(b)} → ${cellName(c)}`;
    if (p.skipped) {
      if (b.status === 'not-measured' && c.status === 'not-measured') missing.push({ what, why: `not measured on either side (${c.reason ?? 'no reason'})`, blocking: false });
      else if (c.status === 'invalid') missing.push({ what, why: `candidate invalid: ${c.reason ?? ''}`, blocking: true, always: true });
      else missing.push({ what, why: `not compared: ${p.skipped}`, blocking: true });
      continue;
    }
    if (refused(p, !!opts.force)) {
      missing.push({ what, why: `not compared: ${p.differences.join('; ')} (--force compares anyway)`, blocking: true });
      continue;
    }
    compared += p.metrics.length;
    // A metric the base has and the candidate lost is a measurement gone missing.
    const wanted = opts.metrics ?? b.metrics.map((m) => m.name);
    for (const name of wanted) {
      const inBase = b.metrics.some((m) => m.name === name);
      const inCand = c.metrics.some((m) => m.name === name);
      if (p.metrics.some((m) => m.metric === name) || (!inBase && !inCand)) continue;
      const why = inBase && !inCand ? 'missing from the candidate' : !inBase ? 'no base (in the candidate only)' : 'not comparable (unit or direction differs, or no values)';
      missing.push({ what: `${what} metric ${name}`, why, blocking: true });
    }
  }
  const regressions = pairs
    .filter((p) => p.metrics.some((m) => m.change === 'regressed'))
    .map((p) => `${p.label}: ${p.metrics.filter((m) => m.change === 'regressed').map((m) => m.metric).join(', ')}`);
  const inconclusive = pairs
    .filter((p) => !refused(p, !!opts.force) && !p.skipped && p.verdict === 'inconclusive')
    .map((p) => `${p.label}: ${p.metrics.filter((m) => m.change === 'inconclusive').map((m) => `${m.metric} (${m.why ?? 'inconclusive'})`).join(', ')}`);
  const failing = missing.filter((m) => m.always || (m.blocking && !opts.allowMissing));
  const listed = (ms: readonly Missing[]): string => ms.slice(0, 5).map((m) => `${m.what} (${m.why})`).join('; ') + (ms.length > 5 ? `; … ${ms.length - 5} more` : '');
  if (compared === 0) {
    const why = missing.length ? listed(missing) : 'no metric in common';
    return { regressions, inconclusive, missing, compared, verdict: 'nothing compared', reason: `gate failed: nothing compared: ${why}`, exitCode: 2 };
  }
  if (regressions.length) {
    const also = failing.length ? `; also ${failing.length} cell(s)/metric(s) missing or not compared` : '';
    return { regressions, inconclusive, missing, compared, verdict: 'regression', reason: `regression in ${regressions.join('; ')}${also}`, exitCode: 1 };
  }
  if (failing.length) {
    const hint = failing.some((m) => !m.always) ? ' (--allow-missing passes cells missing on one side)' : '';
    return { regressions, inconclusive, missing, compared, verdict: 'missing', reason: `gate failed: ${failing.length} cell(s)/metric(s) missing or not compared: ${listed(failing)}${hint}`, exitCode: 1 };
  }
  const noted = missing.length ? ` (${missing.length} cell(s)/metric(s) not compared, listed above)` : '';
  if (inconclusive.length) {
    const reason = `no regression, but ${inconclusive.length} comparison(s) inconclusive${noted}: ${inconclusive.slice(0, 3).join('; ')}${inconclusive.length > 3 ? `; … ${inconclusive.length - 3} more` : ''}`;
    return { regressions, inconclusive, missing, compared, verdict: 'inconclusive', reason, exitCode: opts.failOnInconclusive ? 4 : 0 };
  }
  return { regressions, inconclusive, missing, compared, verdict: 'pass', reason: `no regression${noted}`, exitCode: 0 };
}
