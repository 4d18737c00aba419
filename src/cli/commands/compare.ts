/** `edgebench compare BASE CANDIDATE...`: A/B with 95% bootstrap CIs; exit 1 on a regression. */
import { COMPARE_STATISTICS, comparePair, ofRuntime, pairUp, refused, runtimeLabel, type CompareStatistic, type PairComparison } from '../../compare/compare.js';
import { cellName, checkMetricNames, gateOf, unpairedBases } from '../../compare/gate.js';
import type { Observation } from '../../result/observation.js';
import { observationsFor } from '../../history/resolve.js';
import { compareMarkdown, compareNotes, compareText } from '../../output/compare-table.js';
import { UserError } from '../../util/errors.js';
import { choiceFlag, intFlag, listFlag, parse } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { CONTAINERS_VS_WASM_USAGE, containersVsWasmCommand } from './compare-containers-vs-wasm.js';

const USAGE = `edgebench compare BASE CANDIDATE... [--metric M[,M...]] [--statistic p50] [--min-effect 5%]
                        [--force] [--allow-missing] [--fail-on-inconclusive] [--ignore-load]
                        [--history results] [--format text|md|json] [--seed N]
edgebench compare RESULTS... --runtimes BASE_RUNTIME,CANDIDATE_RUNTIME [same options]
  BASE, CANDIDATE  result files, folders of results, or run ids in the history (results/history)
  --runtimes A,B   compare runtime B against runtime A within the results named (e.g. wasmedge@0.14.1,wasmedge@0.15.1),
                   paired by suite, layer and fixture; two cells of one run are compared round by round (paired)
  --statistic      ${COMPARE_STATISTICS.join(', ')} (default p50)
  --min-effect     smallest relative change that counts (default 5%; --threshold is the same setting)
  --force          compare results of different layers, fixtures or hardware (never different suites)
  --metric         metric names; one that no result carries is bad input (exit 2, naming those there)
  --allow-missing  cells present on one side only, or not compared (a side not measured, a refused pair), are
                   listed but pass (e.g. a candidate that measures a subset of the base's cells)
  --fail-on-inconclusive  exit 4 when no regression was found but some comparison is inconclusive
  --ignore-load    judge changes even when the two sides ran under different host load (see below)
Per metric: ratio candidate ÷ base of the statistic, with a CI from a bootstrap that resamples rounds, then the
samples within them (runs take their cells in interleaved rounds, run --rounds), so run-to-run noise is in it;
from the raw samples (or the stored histograms, one round, when raw samples are gone). Verdicts: regression (the
whole CI beyond +min-effect), improvement (beyond −min-effect), no change (the CI within ±min-effect), inconclusive
(the CI straddles a bound). The CIs of one cell are widened together (Bonferroni), so a cell's verdict keeps a 5%
false-alarm rate however many metrics it has. A regression or improvement that the host load explains (one side
ran under clearly more CPU pressure: PSI /proc/pressure/cpu 'some' 10 points apart, or load average per core 0.25
apart) is inconclusive, naming the load difference.
Cells on one side only, cells not compared and metrics the candidate lost are listed; they fail the gate unless
--allow-missing (an invalid candidate result always does). A gate that compared nothing never passes.
Exit codes: 0 no regression (inconclusive comparisons warn); 1 a regression, or cells missing or not compared
(listed); 2 bad input, or nothing that could be compared (says why); 4 inconclusive with --fail-on-inconclusive.

${CONTAINERS_VS_WASM_USAGE}`;

/** Parses "5%", "0.05" or "5" (percent when > 1). */
export function parseThreshold(v: string | undefined, flag = '--threshold'): number {
  if (v === undefined) return 0.05;
  const pct = v.endsWith('%');
  const n = Number(pct ? v.slice(0, -1) : v);
  if (!Number.isFinite(n) || n < 0 || v.trim() === '') throw new UserError(`${flag}: "${v}" is not a percentage`);
  const t = pct || n >= 1 ? n / 100 : n;
  if (t >= 10) throw new UserError(`${flag}: ${v} is too large`);
  return t;
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare results (A/B) with bootstrap CIs; exit 1 on regression',
  usage: USAGE,
  examples: ['edgebench compare results/RUN_A results/RUN_B --metric wall', 'edgebench compare results/RUN_A --runtimes wasmedge@0.14.1,wasmedge@0.15.1'],
  async run(argv) {
    if (argv[0] === 'containers-vs-wasm') return containersVsWasmCommand(argv.slice(1));
    const { values, positionals } = parse('compare', argv, {
      metric: { type: 'string' }, statistic: { type: 'string' }, threshold: { type: 'string' }, force: { type: 'boolean' },
      history: { type: 'string' }, format: { type: 'string' }, seed: { type: 'string' }, runtimes: { type: 'string' }, 'allow-missing': { type: 'boolean' },
      'min-effect': { type: 'string' }, 'fail-on-inconclusive': { type: 'boolean' }, 'ignore-load': { type: 'boolean' },
    }, true);
    const across = values.runtimes !== undefined ? listFlag(values.runtimes, []) : null;
    if (across && (across.length !== 2 || across[0] === across[1])) throw new UserError(`compare: --runtimes ${values.runtimes}: name two different runtimes, base first (e.g. wasmedge@0.14.1,wasmedge@0.15.1)`);
    if (across && positionals.length < 1) throw new UserError('compare --runtimes: name the results to look in (files, folders or run ids)');
    if (!across && positionals.length < 2) throw new UserError('compare: name a BASE and at least one CANDIDATE (files, folders or run ids)');
    const statistic = choiceFlag('statistic', values.statistic, COMPARE_STATISTICS, 'p50') as CompareStatistic;
    const format = choiceFlag('format', values.format, ['text', 'md', 'json'] as const, 'text');
    if (values.threshold !== undefined && values['min-effect'] !== undefined) throw new UserError('compare: --threshold and --min-effect are the same setting: give one');
    const threshold = parseThreshold(values['min-effect'] ?? values.threshold, values['min-effect'] !== undefined ? '--min-effect' : '--threshold');
    const seed = intFlag('seed', values.seed, 1, 0, 2 ** 31 - 1);
    const root = values.history ?? 'results';
    let bases;
    let cands;
    if (across) {
      const all = positionals.flatMap((p) => observationsFor(p, root));
      [bases, cands] = [ofRuntime(all, across[0] as string), ofRuntime(all, across[1] as string)];
      for (const [i, list] of [bases, cands].entries()) {
        if (list.length === 0) throw new UserError(`compare: no results of runtime ${across[i]} in ${positionals.join(', ')} (runtimes there: ${[...new Set(all.map((o) => runtimeLabel(o.result)))].join(', ') || 'none'})`);
      }
    } else {
      const [baseRef, ...candRefs] = positionals as [string, ...string[]];
      bases = observationsFor(baseRef, root);
      cands = candRefs.flatMap((c) => observationsFor(c, root));
    }
    const metrics = values.metric !== undefined ? listFlag(values.metric, []) : undefined;
    checkMetricNames(metrics, [...bases, ...cands]);
    const { pairs, unpaired } = across ? pairUp(bases, cands, true) : pairUp(bases, cands);
    if (pairs.length === 0) {
      const some = (os: readonly Observation[]): string => os.slice(0, 4).map((o) => cellName(o.result)).join(', ') + (os.length > 4 ? `, … ${os.length - 4} more` : '') || 'none';
      throw new UserError(`compare: nothing to compare: no candidate result matches a base result by suite, layer, ${across ? '' : 'runtime '}and fixture (base: ${some(bases)}; candidate: ${some(cands)})`);
    }
    const force = !!values.force;
    const opts = { statistic, threshold, force, seed, ignoreLoad: !!values['ignore-load'], ...(metrics ? { metrics } : {}) };
    const results: PairComparison[] = pairs.map(([b, c]) => comparePair(b, c, opts));
    const refusedPairs = results.filter((p) => refused(p, force));
    if (refusedPairs.length === results.length) {
      const p = refusedPairs[0] as PairComparison;
      const forceable = !p.differences[0]?.startsWith('different suites');
      throw new UserError(`compare: refusing to compare ${p.label}: ${p.differences.join('; ')}${forceable ? ' (use --force to compare anyway)' : ''}`);
    }
    const gate = gateOf(results, unpairedBases(bases, pairs), unpaired, { force, allowMissing: !!values['allow-missing'], failOnInconclusive: !!values['fail-on-inconclusive'], ...(metrics ? { metrics } : {}) });
    const regressions = gate.regressions;
    if (format === 'json') {
      process.stdout.write(JSON.stringify({
        statistic, threshold, regressions, inconclusive: gate.inconclusive,
        pairs: results.map((p) => ({ label: p.label, base: p.base.path ?? p.base.result.runId, candidate: p.candidate.path ?? p.candidate.result.runId, differences: p.differences, forced: p.forced, skipped: p.skipped ?? null, verdict: p.verdict ?? null, load: p.load ?? null, metrics: p.metrics })),
        unpaired: unpaired.map((o) => o.path ?? o.result.runId),
        missing: gate.missing,
        gate: { verdict: gate.verdict, reason: gate.reason, exitCode: gate.exitCode, compared: gate.compared },
      }, null, 2) + '\n');
    } else {
      const table = format === 'md' ? compareMarkdown(results, statistic) : compareText(results, statistic);
      process.stdout.write(`${table}\n`);
      const notes = compareNotes(results);
      if (notes.length) process.stdout.write(`\n${notes.join('\n')}\n`);
      for (const m of gate.missing) process.stdout.write(`${m.blocking ? 'missing' : 'note'}: ${m.what}: ${m.why}\n`);
      process.stdout.write(`\n${gate.reason} (minimum effect ${(threshold * 100).toFixed(1)}%, ${statistic}, 95% family-wise per cell)\n`);
    }
    if (gate.exitCode === 2) process.stderr.write(`edgebench: compare: ${gate.reason}\n`);
    if (gate.verdict === 'inconclusive') process.stderr.write(`edgebench: compare: warning: ${gate.inconclusive.length} comparison(s) inconclusive (re-run with more rounds, or under the same load)\n`);
    return gate.exitCode === 0 ? EXIT.ok : gate.exitCode === 1 ? EXIT.failed : gate.exitCode === 4 ? EXIT.inconclusive : EXIT.usage;
  },
};
