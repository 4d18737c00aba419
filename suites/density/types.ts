/** What a density ramp asks for and finds (density and memory suites): long-running instances started step by step, memory measured per step. */
import type { MetricSpec, Sample } from '../../src/core/metric.js';
import type { Workload } from '../../src/result/types.js';
import type { InstanceMemory } from '../../src/targets/fleet.js';

/** What a density run asks for. */
export interface DensityRequest {
  workload: Workload;
  /** Instances to reach (stops earlier at the first failure). */
  target: number;
  /** Instances per step; memory is measured after each step. */
  step: number;
  /** Stop (without failing) before the host's MemAvailable drops below this many bytes. */
  minAvailableBytes: number;
  /** Stop (without failing) before fewer than this many task slots (kernel.pid_max − tasks) remain; the fleet's own FleetSession.minFreeTasks applies too (the larger wins); absent or 0 on both: no such guard. */
  minFreeTasks?: number;
  /** Called once per start attempt, as it is taken. */
  onStart: (sample: Sample) => void;
  /** Called after each step's measurement. */
  onStep: (step: DensityStep) => void;
  signal: AbortSignal;
}

/** One step of a density ramp. */
export interface DensityStep {
  /** Instances running after this step. */
  instances: number;
  /** Seconds since the first start (client monotonic). */
  elapsedS: number;
  /** Start latencies of this step's instances, ns. */
  startP50Ns: number;
  startP90Ns: number;
  startMaxNs: number;
  /** Memory charged to the instances' cgroups, summed. */
  cgroupBytes: number;
  /** PSS of the instances' processes, summed. */
  pssBytes: number;
  /** PSS of per-instance helper processes outside the cgroups (containerd shims), summed. */
  shimPssBytes: number;
  /** Host MemTotal − MemAvailable minus its value before the first start. */
  hostDeltaBytes: number;
  processes: number;
  perInstance: { cgroupBytes: number; pssBytes: number; hostDeltaBytes: number };
  /** The newest instance on its own: its cgroup's charge, its processes' PSS and its shim's PSS. */
  newest?: InstanceMemory;
}

/** What a density run found. */
export interface DensityOutcome {
  metrics: MetricSpec[];
  steps: DensityStep[];
  /** Instances running at the peak. */
  reached: number;
  /** The first failure (what the runtime said), or null. */
  failure: string | null;
  /** A reason the ramp stopped short of the target without a failure (memory floor, interrupt), or null. */
  stoppedBecause: string | null;
  /** Time to remove every instance, ns. */
  teardownNs: number;
  notes: string[];
}
