/** density: long-running `serve` instances started step by step up to a target (default 3000) or the first failure; memory and processes per step. */
import { registerSuite, type MeasureContext, type MeasureOutcome } from '../../src/run/suite.js';
import { intSetting, numberSetting } from '../../src/run/settings.js';
import { UserError } from '../../src/util/errors.js';
import { noFleet, runDensity } from './run.js';

/** The density suite's settings, range-checked. */
export function densitySettings(extra: Record<string, string | number>): { target: number; step: number; floorGiB: number } {
  const known = ['target', 'step', 'min-available-gib'];
  for (const k of Object.keys(extra)) if (!known.includes(k)) throw new UserError(`--set ${k}: not a density setting (known: ${known.join(', ')})`);
  const target = intSetting(extra, 'target', 3000, 1, 1_000_000);
  const step = intSetting(extra, 'step', Math.max(1, Math.ceil(target / 30)), 1, target);
  const floorGiB = numberSetting(extra, 'min-available-gib', 2, 0, 1024);
  return { target, step, floorGiB };
}

/** MiB, one decimal. */
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(2)} MiB`;

registerSuite({
  name: 'density',
  description:
    'long-running instances started one by one up to a target (--set target=3000) or the first failure; start latency, memory (cgroup, PSS, host) and processes per step (--set step=N)',
  defaultFixture: 'serve',
  unsupported: (t) => {
    const why = noFleet(t);
    return why && `${why} (no density support)`;
  },
  validate: (p) => void densitySettings(p.extra),
  async measure(ctx: MeasureContext): Promise<MeasureOutcome> {
    const { target, step, floorGiB } = densitySettings(ctx.params.extra);
    const out = await runDensity(ctx.target, {
      workload: ctx.workload,
      target,
      step,
      minAvailableBytes: floorGiB * 2 ** 30,
      onStart: (s) => ctx.record(s),
      onStep: () => undefined,
      signal: ctx.signal,
    });
    const last = out.steps.at(-1);
    const notes = [...out.notes];
    notes.push(
      `reached ${out.reached} of ${target} instances${out.failure ? `; first failure: ${out.failure}` : out.stoppedBecause ? `; ${out.stoppedBecause}` : ''}`,
    );
    if (last)
      notes.push(
        `at ${last.instances}: per instance cgroup ${mib(last.perInstance.cgroupBytes)}, PSS (+shim) ${mib(last.perInstance.pssBytes)}, host delta ${mib(last.perInstance.hostDeltaBytes)}; ${last.processes} processes`,
      );
    return {
      metrics: out.metrics,
      series: {
        steps: out.steps,
        outcome: [{ target, step, reached: out.reached, failure: out.failure, stoppedBecause: out.stoppedBecause, teardownNs: out.teardownNs }],
      },
      notes,
    };
  },
});
