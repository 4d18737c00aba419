/**
 * The harness's own cost at scale: drives the kube target's density path to N pods (default 3000) on a simulated
 * node (a child process, so its work is not counted) against a real API server, and reports
 *   - event-handling lag: Node's event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms sampling), i.e. how long
 *     an arriving watch event can wait before the harness runs its handler; p50/p99/max;
 *   - peak RSS of the harness process (getrusage ru_maxrss).
 * Targets: < 5 ms p99 lag, < 150 MB peak RSS, at the pod count asked for; exit 1 when one is not met.
 *   node dist/bench/kube-harness-cost.js [--kubeconfig F] [--pods 3000] [--qps 200]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import '../src/targets/kube/index.js';
import { fixturePath } from '../src/fixtures/workload.js';
import { workloadFromPath } from '../src/fixtures/workload.js';
import { newRunId } from '../src/util/run-id.js';
import { createTarget } from '../src/targets/registry.js';
import { closeKubeConnections } from '../src/kube/connection.js';
import { podDensity } from '../suites/pod-density/measure.js';
import { EXIT_NOT_MET, harnessCostShortfalls } from './verdicts.js';

const { values } = parseArgs({ options: { kubeconfig: { type: 'string' }, pods: { type: 'string' }, qps: { type: 'string' }, 'sim-start-delay-ms': { type: 'string' } } });
const pods = Number(values.pods ?? 3000);
const qps = Number(values.qps ?? 200);
const kubeconfig = values.kubeconfig ?? process.env['KUBECONFIG'] ?? '/var/lib/edgebench/dev-cluster/kubeconfig';
const runId = newRunId();
const target = createTarget('kube', 'runc', { kubeconfig, runId, 'sim-node': 'true', 'sim-start-delay-ms': values['sim-start-delay-ms'] ?? '1000' });
await target.preflight?.({ target: pods });
const rssBefore = process.memoryUsage().rss;
const eld = monitorEventLoopDelay({ resolution: 1 });
eld.enable();
const t0 = process.hrtime.bigint();
let samples = 0;
const notes: string[] = [];
if (!target.kube) throw new Error('the kube target has no kube driver');
const out = await podDensity(target.kube, {
  workload: workloadFromPath(fixturePath('serve', 'native'), [], 'serve'),
  target: pods, qps, burst: qps, step: Math.ceil(pods / 6), stepTimeoutMs: 600_000, latencySamples: 20, latencyQps: 5,
  onSample: () => void samples++,
  onNote: (l) => notes.push(l),
  signal: new AbortController().signal,
});
eld.disable();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
await closeKubeConnections();
const ms = (ns: number): string => (ns / 1e6).toFixed(2);
const report = {
  pods, reached: out.reached, stoppedBecause: out.stoppedBecause, seconds: Number(seconds.toFixed(1)), samples,
  lagMs: { p50: Number(ms(eld.percentile(50))), p99: Number(ms(eld.percentile(99))), max: Number(ms(eld.max)), clock: 'perf_hooks.monitorEventLoopDelay (1 ms sampling, ns histogram)' },
  peakRssMB: Number((maxRssBytes / 2 ** 20).toFixed(1)), rssBeforeMB: Number((rssBefore / 2 ** 20).toFixed(1)),
  steps: out.steps.map((s) => ({ pods: s['pods'], stepSeconds: s['stepSeconds'], p50Ms: s['podStartupP50Ms'], p99Ms: s['podStartupP99Ms'] })),
  notes,
};
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
const shortfalls = harnessCostShortfalls({ pods, reached: out.reached, lagP99Ms: report.lagMs.p99, peakRssMB: report.peakRssMB });
process.stdout.write(`harness cost at ${out.reached} pods: event-loop lag p99 ${report.lagMs.p99} ms (target < 5 ms: ${report.lagMs.p99 < 5 ? 'met' : 'NOT met'}), peak RSS ${report.peakRssMB} MB (target < 150 MB: ${report.peakRssMB < 150 ? 'met' : 'NOT met'})\n`);
if (out.reached < pods) process.stdout.write(`NOT met: reached ${out.reached} of ${pods} pods${out.stoppedBecause ? ` (${out.stoppedBecause})` : ''}\n`);
// A target not met is a failed check.
if (shortfalls.length) process.stdout.write(`harness cost: FAILED (${shortfalls.join('; ')})\n`);
process.exitCode = shortfalls.length ? EXIT_NOT_MET : 0;
