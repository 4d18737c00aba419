/** `native`: the workload is a native executable, started directly. */
import type { MetricSpec } from '../../core/metric.js';
import { registerTarget } from '../registry.js';
import type { ColdStartRequest, Target } from '../target.js';
import { launchRepeated, launcherPath, processMetrics } from './launcher.js';

registerTarget('process', 'native', (): Target => ({
  layer: 'process',
  runtime: 'native',
  description: 'native executable started as a process (fork/exec/wait4)',
  accepts: ['native'],
  sampleTimeouts: true,
  async probe() {
    const l = launcherPath();
    return { available: true, tools: [], notes: l ? [] : ['eb-launch not built: timing falls back to Node spawn (+~1 ms)'] };
  },
  async coldStart(req: ColdStartRequest): Promise<MetricSpec[]> {
    const clock = await launchRepeated({ argv: [req.workload.path, ...req.workload.args], samples: req.samples, warmup: req.warmup, onSample: req.onSample, signal: req.signal, ...(req.timeoutMs ? { timeoutMs: req.timeoutMs } : {}) });
    return processMetrics(clock);
  },
}));
