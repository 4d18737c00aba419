/**
 * scale-out (kube layer): a Deployment scaled at once from --set from (0 or 1) to --set to replicas. Per new pod:
 * scale request → scheduled / running / Ready (watch, client monotonic); per round: first Ready and all Ready;
 * node CPU over time during the burst (host, control plane, node agent, pods; from the node's /proc) with its max,
 * in series.cpu and series.rounds. Cluster-clock phases are reported only where 1 s timestamps support them.
 * With --fixture http each new pod is also timed to serving (its first 200 to GET / at its pod IP): first/all serving.
 */
import { registerSuite, type MeasureContext, type MeasureOutcome } from '../../src/run/suite.js';
import { checkSettings, tableInt, type Settings } from '../../src/run/settings.js';
import { UserError } from '../../src/util/errors.js';
import { scaleOut } from './measure.js';
import { kubeOf, needsKube } from '../kube-driver.js';

const INTS: Record<string, [number, number, number]> = {
  from: [0, 0, 10_000],
  to: [10, 1, 10_000],
  rounds: [1, 1, 100],
  'timeout-ms': [180_000, 1000, 3_600_000],
  'cpu-interval-ms': [250, 50, 10_000],
};

const int = (extra: Settings, k: string): number => tableInt(extra, INTS, k);

function check(extra: Record<string, string | number>): void {
  checkSettings(extra, 'scale-out', INTS);
  if (int(extra, 'to') <= int(extra, 'from')) throw new UserError(`--set to=${int(extra, 'to')}: must be more than from=${int(extra, 'from')}`);
}

registerSuite({
  name: 'scale-out',
  description:
    'Deployment scaled out at once (kube layer): per-pod time to Ready (and to serving with the http fixture), first/all Ready and serving, node CPU over time and its max',
  defaultFixture: 'serve',
  unsupported: needsKube('scale-out'),
  validate: (p) => check(p.extra),
  async measure(ctx: MeasureContext): Promise<MeasureOutcome> {
    const kube = kubeOf(ctx);
    const x = ctx.params.extra;
    const notes: string[] = [];
    const out = await scaleOut(kube, {
      workload: ctx.workload,
      from: int(x, 'from'),
      to: int(x, 'to'),
      rounds: int(x, 'rounds'),
      timeoutMs: int(x, 'timeout-ms'),
      cpuIntervalMs: int(x, 'cpu-interval-ms'),
      onSample: (s) => ctx.record(s),
      onNote: (l) => notes.push(l),
      signal: ctx.signal,
    });
    for (const r of out.series['rounds'] ?? []) notes.push(`round: ${JSON.stringify(r)}`);
    return { metrics: out.metrics, series: out.series, notes };
  },
});
