/**
 * offline (kube layer): through an explicitly configured partition hook (--set partition-cmd / heal-cmd, any
 * shell command, e.g. an iptables rule applied on the agent over SSH; scripts/partition-kubelet.sh on the local
 * dev cluster), cut the node off from the API server for --set partition-ms; check the workloads keep serving
 * locally (requests straight to the pod IPs), heal, and time the resync. Without a configured hook the result is
 * "not measured": the suite never touches anything that is not configured.
 */
import { registerSuite, type MeasureContext, type MeasureOutcome } from '../../src/run/suite.js';
import { checkSettings, tableInt, type Settings } from '../../src/run/settings.js';
import { UserError } from '../../src/util/errors.js';
import { offline } from './measure.js';
import { kubeOf, needsKube } from '../kube-driver.js';

const INTS: Record<string, [number, number, number]> = {
  'partition-ms': [20_000, 1000, 86_400_000],
  replicas: [2, 1, 100],
  rate: [50, 1, 10_000],
  port: [8080, 1, 65_535],
  'timeout-ms': [120_000, 5000, 3_600_000],
};
const KNOWN = [...Object.keys(INTS), 'partition-cmd', 'heal-cmd'];

const int = (extra: Settings, k: string): number => tableInt(extra, INTS, k);

function check(extra: Record<string, string | number>): void {
  checkSettings(extra, 'offline', INTS, KNOWN);
}

registerSuite({
  name: 'offline',
  description: 'node cut off from the API server by a configured hook (kube layer): local serving during the cut, resync time after heal',
  defaultFixture: 'http',
  commandSettings: ['partition-cmd', 'heal-cmd'],
  unsupported: needsKube('offline'),
  validate: (p) => check(p.extra),
  async measure(ctx: MeasureContext): Promise<MeasureOutcome> {
    const kube = kubeOf(ctx);
    const x = ctx.params.extra;
    const cut = String(x['partition-cmd'] ?? '').trim();
    const heal = String(x['heal-cmd'] ?? '').trim();
    if (!cut || !heal)
      return {
        metrics: [],
        notMeasured: `no partition hook configured (--set partition-cmd=... and --set heal-cmd=...; e.g. "bash scripts/partition-kubelet.sh cut" / "... heal" on the local dev cluster)`,
      };
    const notes: string[] = [];
    const out = await offline(kube, {
      workload: ctx.workload,
      partitionCmd: cut,
      healCmd: heal,
      partitionMs: int(x, 'partition-ms'),
      replicas: int(x, 'replicas'),
      rate: int(x, 'rate'),
      port: int(x, 'port'),
      timeoutMs: int(x, 'timeout-ms'),
      onSample: (s) => ctx.record(s),
      onNote: (l) => notes.push(l),
      signal: ctx.signal,
    });
    if (out.notMeasured) return { metrics: out.metrics, notMeasured: out.notMeasured, notes };
    for (const v of out.verdicts) notes.push(`verdict: ${String(v['verdict'])}: ${String(v['claim'])}`);
    return { metrics: out.metrics, series: out.series, notes, verdicts: out.verdicts };
  },
});
