/** The fleet driver contract: long-running instances of one workload that a suite starts one more at a time, measures and stops. */
import type { MetricSpec } from '../core/metric.js';

/** One start as a fleet reports it. */
export interface FleetStart {
  ok: boolean;
  /** Start latency of this instance (what a step's quantiles are over), ns. */
  startNs: number;
  /** The instance's sample values (e.g. `start`, or the CRI phases and the pod's own memory). */
  values: Record<string, number>;
  error?: string;
  /** The instance started but cannot be measured: the suite records the failed sample, then fails with `error`. */
  fatal?: boolean;
}

/** Memory of one instance on its own: its cgroup's charge, its processes' PSS and its shim's PSS. */
export interface InstanceMemory {
  cgroupBytes: number;
  pssBytes: number;
  shimPssBytes: number;
}

/** Memory of every live instance of a fleet, summed. */
export interface FleetMemory {
  /** Instances this reading covers. */
  instances: number;
  cgroupBytes: number;
  pssBytes: number;
  shimPssBytes: number;
  processes: number;
  /** The newest instance on its own. */
  newest?: InstanceMemory;
}

/** What a suite drives: start one more instance, read the memory of all, stop all. */
export interface Fleet {
  /** Starts instance number `index` (0-based); may throw (taken as a failed start). */
  start(index: number): Promise<FleetStart>;
  /** Reads the memory of every instance started so far; throws when a value cannot be read (never 0 bytes). */
  measure(): Promise<FleetMemory>;
  /** Removes every instance started; resolves when they are gone. */
  stopAll(): Promise<void>;
}

/** A fleet as a target opens it (Target.fleet): the Fleet, what its starts carry, the host headroom it needs, and its own setup to release. */
export interface FleetSession extends Fleet {
  /** Metrics of the values starts report; asked after the instances ran (a start clock may be known only then). */
  metrics(): MetricSpec[];
  /** Task slots to keep free under kernel.pid_max while it grows (each instance adds helper processes); absent: no such guard. */
  readonly minFreeTasks?: number;
  /** Stops what is left and releases what opening set up (labels, folders, connections); called once, last, whatever happened. Resolves with lines for the result's notes. */
  close(): Promise<string[]>;
}
