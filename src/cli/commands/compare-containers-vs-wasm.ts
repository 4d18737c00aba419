/** `edgebench compare containers-vs-wasm RESULT|DIR...` (dispatched from compare.ts): the "Wasm starts N× faster than containers" question, answered per layer with a CI. */
import { dirname, resolve } from 'node:path';
import { metricValues } from '../../core/analyze.js';
import { containersVsWasm, missingWasmLayers, type ComparedCell } from '../../compare/containers-vs-wasm.js';
import { containersVsWasmTable } from '../../output/containers-vs-wasm-table.js';
import { loadResults } from '../../result/load.js';
import { readRawSamples } from '../../result/raw-samples.js';
import { LAYERS } from '../../result/types.js';
import { UserError } from '../../util/errors.js';
import { intFlag, parse } from '../args.js';

export const CONTAINERS_VS_WASM_USAGE = `edgebench compare containers-vs-wasm RESULT|DIR... [--suite cold-start|memory|hot-update|scale-out|autoscale|offline] [--metric M] [--seed 1]
  Pairs every Wasm run of the suite (any layer) with every native container run of the same fixture — oci
  containers, and cri/kube pods of the same layer — and prints container median / Wasm median with a 95%
  percentile-bootstrap CI (> 1: Wasm takes less). Metric default: wall (cold-start), pss_bytes (memory), latency_p99 (hot-update),
  pod_scale_to_serving (scale-out), decision_to_serving (autoscale), heal_to_pending_pod_ready (offline).
  Layers without a Wasm run are listed with the reasons their Wasm results were not measured.`;

/** The metric compared when none is named. */
const DEFAULT_METRIC: Record<string, string> = { 'cold-start': 'wall', memory: 'pss_bytes', 'hot-update': 'latency_p99', 'scale-out': 'pod_scale_to_serving', autoscale: 'decision_to_serving', offline: 'heal_to_pending_pod_ready' };

/** Runs `compare containers-vs-wasm` with the arguments after that word. */
export async function containersVsWasmCommand(rest: string[]): Promise<number> {
  const { values, positionals } = parse('compare', rest, { suite: { type: 'string' }, metric: { type: 'string' }, seed: { type: 'string' } }, true);
  if (positionals.length === 0) throw new UserError('compare: name result files or folders');
  const suite = values.suite ?? 'cold-start';
  if (!(suite in DEFAULT_METRIC)) throw new UserError(`--suite ${suite}: expected one of ${Object.keys(DEFAULT_METRIC).join(', ')}`);
  const metric = values.metric ?? DEFAULT_METRIC[suite]!;
  const seed = intFlag('seed', values.seed, 1, 0, 2 ** 31 - 1);
  const loaded = loadResults(positionals).filter((l) => l.result.suite === suite);
  const known = [...new Set(loaded.flatMap((l) => l.result.metrics.map((m) => m.name)))].sort();
  if (values.metric !== undefined && known.length && !known.includes(metric)) throw new UserError(`compare: --metric ${metric}: no such metric in the ${suite} results (metrics there: ${known.join(', ')})`);
  const cells: ComparedCell[] = loaded.map(({ path, result }) => {
    if (result.status !== 'ok' || !result.rawSamples) return { result, values: [] };
    const raw = readRawSamples(resolve(dirname(path), result.rawSamples.path));
    return { result, values: metricValues(raw.samples.filter((s) => !s.warmup && s.ok), metric) };
  });
  const rows = containersVsWasm(cells, seed);
  const unit = loaded.flatMap((l) => l.result.metrics).find((m) => m.name === metric)?.unit ?? 'ns';
  process.stdout.write(containersVsWasmTable(rows, metric, unit) + '\n');
  const layers = LAYERS.filter((l) => l === 'oci' || loaded.some((x) => x.result.layer === l));
  for (const m of missingWasmLayers(loaded.map((l) => l.result), layers)) {
    process.stdout.write(`no Wasm run at layer ${m.layer} in these results${m.reasons.length ? `: not measured — ${m.reasons.join('; ')}` : ''}\n`);
  }
  if (!rows.length) process.stdout.write('no fixture has both a Wasm run and a native container run in these results\n');
  return 0;
}
