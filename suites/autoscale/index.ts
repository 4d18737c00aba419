/**
 * autoscale (kube layer): steady generated load on a Deployment behind a Service; the cluster's real HPA
 * (autoscaling/v2beta2 before 1.23, v2 after) scales it on an External metric — the achieved request rate —
 * served by the harness's own metrics API. Per added replica: scaling decision → Ready and → serving (first answer at
 * its pod IP); per decision: load
 * start → decision. The notes state the HPA sync period and the metric's resolution, against which a
 * "1 ms scale-out" can be judged at this layer.
 */
import { registerSuite, type MeasureContext, type MeasureOutcome } from '../../src/run/suite.js';
import { checkSettings, tableInt, type Settings } from '../../src/run/settings.js';
import { UserError } from '../../src/util/errors.js';
import { autoscale } from './measure.js';
import { kubeOf, needsKube } from '../kube-driver.js';

const INTS: Record<string, [number, number, number]> = {
  rate: [100, 1, 10_000],
  'per-replica': [25, 1, 10_000],
  'max-replicas': [4, 2, 100],
  port: [8080, 1, 65_535],
  'timeout-ms': [120_000, 5000, 3_600_000],
};
const KNOWN = [...Object.keys(INTS), 'metrics-api'];

const int = (extra: Settings, k: string): number => tableInt(extra, INTS, k);

function check(extra: Record<string, string | number>): void {
  checkSettings(extra, 'autoscale', INTS, KNOWN);
  const m = extra['metrics-api'];
  if (m !== undefined && m !== 'harness' && m !== 'none') throw new UserError(`--set metrics-api=${m}: expected harness or none`);
}

registerSuite({
  name: 'autoscale',
  description:
    'HPA driven by generated load (kube layer, External metric served by the harness): scaling decision → Ready and → serving per added replica, with the HPA sync period and metric resolution',
  defaultFixture: 'http',
  unsupported: needsKube('autoscaling'),
  validate: (p) => check(p.extra),
  async measure(ctx: MeasureContext): Promise<MeasureOutcome> {
    const kube = kubeOf(ctx);
    const x = ctx.params.extra;
    const notes: string[] = [];
    const out = await autoscale(kube, {
      workload: ctx.workload,
      rate: int(x, 'rate'),
      perReplica: int(x, 'per-replica'),
      maxReplicas: int(x, 'max-replicas'),
      port: int(x, 'port'),
      metricsApi: x['metrics-api'] !== 'none',
      timeoutMs: int(x, 'timeout-ms'),
      onSample: (s) => ctx.record(s),
      onNote: (l) => notes.push(l),
      signal: ctx.signal,
    });
    if (out.notMeasured) return { metrics: out.metrics, notMeasured: out.notMeasured, notes };
    return { metrics: out.metrics, series: out.series, notes };
  },
});
