/** `edgebench compare BASE CANDIDATE...`: A/B with 95% bootstrap CIs; exit 1 on a regression. */
import { comparePair, ofRuntime, pairUp, refused, runtimeLabel, type CompareStatistic, type PairComparison } from '../../compare/compare.js';
import { cellName, checkMetricNames, gateOf, unpairedBases } from '../../compare/gate.js';
import type { Observation } from '../../result/observation.js';
import { observationsFor } from '../../history/resolve.js';
import { compareMarkdown, compareText } from '../../publish/compare-table.js';
import { UserError } from '../../util/errors.js';
import { choiceFlag, intFlag, listFlag, parse } from '../args.js';
import { EXIT, type Command } from '../command.js';
import { CONTAINERS_VS_WASM_USAGE, containersVsWasmCommand } from './compare-containers-vs-wasm.js';

const USAGE = `edgebench compare BASE CANDIDATE... [--metric M[,M...]] [--statistic p50|p90|p99] [--threshold 5%]
                        [--force] [--allow-missing] [--history results] [--format text|md|json] [--seed N]
edgebench compare RESULTS... --runtimes BASE_RUNTIME,CANDIDATE_RUNTIME [same options]
  BASE, CANDIDATE  result files, folders of results, or run ids in the history (results/history)
  --runtimes A,B   compare runtime B against runtime A within the results named (e.g. wasmedge@0.14.1,wasmedge@0.15.1),
                   paired by suite, layer and fixture
  --threshold      relative change that counts (default 5%): slower when the ratio's 95% CI lies wholly above 1+t
  --force          compare results of different layers, fixtures or hardware (never different suites)
  --metric         metric names; one that no result carries is bad input (exit 2, naming those there)
  --allow-missing  cells present on one side only, or not compared (a side not measured, a refused pair), are
                   listed but pass (e.g. a candidate that measures a subset of the base's cells)
Per metric: ratio candidate ÷ base of the statistic, with a 95% percentile-bootstrap CI from the raw samples
(or the stored histograms when raw samples are gone), and faster / slower / no change.
Cells on one side only, cells not compared and metrics the candidate lost are listed; they fail the gate unless
--allow-missing (an invalid candidate result always does). A gate that compared nothing never passes.
Exit codes: 0 no regression; 1 a regression, or cells missing or not compared (listed); 2 bad input, or nothing
that could be compared (says why).

${CONTAINERS_VS_WASM_USAGE}`;

/** Parses "5%", "0.05" or "5" (percent when > 1). */
export function parseThreshold(v: string | undefined): number {
  if (v === undefined) return 0.05;
  const pct = v.endsWith('%');
  const n = Number(pct ? v.slice(0, -1) : v);
  if (!Number.isFinite(n) || n < 0 || v.trim() === '') throw new UserError(`--threshold: "${v}" is not a percentage`);
  const t = pct || n >= 1 ? n / 100 : n;
  if (t >= 10) throw new UserError(`--threshold: ${v} is too large`);
  return t;
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare results (A/B) with bootstrap CIs; exit 1 on regression',
  usage: USAGE,
  async run(argv) {
    if (argv[0] === 'containers-vs-wasm') return containersVsWasmCommand(argv.slice(1));
    const { values, positionals } = parse('compare', argv, {
      metric: { type: 'string' }, statistic: { type: 'string' }, threshold: { type: 'string' }, force: { type: 'boolean' },
      history: { type: 'string' }, format: { type: 'string' }, seed: { type: 'string' }, runtimes: { type: 'string' }, 'allow-missing': { type: 'boolean' },
    }, true);
    const across = values.runtimes !== undefined ? listFlag(values.runtimes, []) : null;
    if (across && (across.length !== 2 || across[0] === across[1])) throw new UserError(`compare: --runtimes ${values.runtimes}: name two different runtimes, base first (e.g. wasmedge@0.14.1,wasmedge@0.15.1)`);
    if (across && positionals.length < 1) throw new UserError('compare --runtimes: name the results to look in (files, folders or run ids)');
    if (!across && positionals.length < 2) throw new UserError('compare: name a BASE and at least one CANDIDATE (files, folders or run ids)');
    const statistic = choiceFlag('statistic', values.statistic, ['p50', 'p90', 'p99'] as const, 'p50') as CompareStatistic;
    const format = choiceFlag('format', values.format, ['text', 'md', 'json'] as const, 'text');
    const threshold = parseThreshold(values.threshold);
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
    const opts = { statistic, threshold, force, seed, ...(metrics ? { metrics } : {}) };
    const results: PairComparison[] = pairs.map(([b, c]) => comparePair(b, c, opts));
    const refusedPairs = results.filter((p) => refused(p, force));
    if (refusedPairs.length === results.length) {
      const p = refusedPairs[0] as PairComparison;
      const forceable = !p.differences[0]?.startsWith('different suites');
      throw new UserError(`compare: refusing to compare ${p.label}: ${p.differences.join('; ')}${forceable ? ' (use --force to compare anyway)' : ''}`);
    }
    const gate = gateOf(results, unpairedBases(bases, pairs), unpaired, { force, allowMissing: !!values['allow-missing'], ...(metrics ? { metrics } : {}) });
    const regressions = gate.regressions;
    if (format === 'json') {
      process.stdout.write(JSON.stringify({
        statistic, threshold, regressions,
        pairs: results.map((p) => ({ label: p.label, base: p.base.path ?? p.base.result.runId, candidate: p.candidate.path ?? p.candidate.result.runId, differences: p.differences, forced: p.forced, skipped: p.skipped ?? null, metrics: p.metrics })),
        unpaired: unpaired.map((o) => o.path ?? o.result.runId),
        missing: gate.missing,
        gate: { verdict: gate.verdict, reason: gate.reason, exitCode: gate.exitCode, compared: gate.compared },
      }, null, 2) + '\n');
    } else {
      const table = format === 'md' ? compareMarkdown(results, statistic) : compareText(results, statistic);
      process.stdout.write(`${table}\n`);
      for (const m of gate.missing) process.stdout.write(`${m.blocking ? 'missing' : 'note'}: ${m.what}: ${m.why}\n`);
      process.stdout.write(`\n${gate.reason} (threshold ${(threshold * 100).toFixed(1)}%, ${statistic}, 95% CI)\n`);
    }
    if (gate.exitCode === 2) process.stderr.write(`edgebench: compare: ${gate.reason}\n`);
    return gate.exitCode === 0 ? EXIT.ok : gate.exitCode === 1 ? EXIT.failed : EXIT.usage;
  },
};
