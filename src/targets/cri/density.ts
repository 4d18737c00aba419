/**
 * Density through CRI: pod after pod (sandbox + one long-running container) up to a target or the
 * first failure; each pod is one sample (start latency, its own memory); after each step every live
 * pod is measured (cgroup, process PSS, shim PSS, host MemAvailable). Guards stop the ramp before the
 * host itself breaks (other work shares it): memory floor and task headroom under kernel.pid_max.
 */
import { join } from 'node:path';
import { CLIENT_MONOTONIC, deltaNs, nowNs, nsToNumber } from '../../core/clock.js';
import type { MetricSpec, Sample } from '../../core/metric.js';
import { quantileSorted } from '../../core/quantile.js';
import { errorMessage } from '../../util/errors.js';
import type { DensityStep } from '../density.js';
import type { CriClient } from './client.js';
import { cgroupMemoryUsage, cgroupPids } from '../../host/cgroupfs.js';
import { hostMemory, hostTasks, memAvailable, pidMax, procMemory } from '../../host/procfs.js';
import { podMemory } from './memory.js';
import { containerConfig, sandboxConfig, type PodNetwork } from './pod.js';
import type { SandboxTracker } from './tracker.js';

/** What one density ramp needs. */
export interface CriDensityPlan {
  client: CriClient;
  tracker: SandboxTracker;
  handler: string;
  /** Annotations on each sandbox and container (the runtime's, e.g. module.wasm.image/variant). */
  annotations?: Readonly<Record<string, string>>;
  /** Image of the long-running container in each pod; null: sandboxes only. */
  image: string | null;
  args: string[];
  network: PodNetwork;
  target: number;
  step: number;
  /** Stop when host MemAvailable falls below this many bytes. */
  minAvailableBytes: number;
  /** Stop when fewer than this many task slots (pid_max − tasks) remain. */
  minFreeTasks: number;
  onStart: (s: Sample) => void;
  onStep: (s: DensityStep) => void;
  signal: AbortSignal;
}

/** How a ramp ended (the pods are still alive: the caller tears them down). */
export interface CriDensityRamp {
  reached: number;
  failure: string | null;
  stoppedBecause: string | null;
  steps: DensityStep[];
}

const SMAPS: MetricSpec['clock'] = { source: 'procfs', resolution: 1024, detail: '/proc/<pid>/smaps_rollup (kB)' };

/** Metrics of a density sample (one pod). */
export const DENSITY_METRICS: MetricSpec[] = [
  { name: 'sandbox_start', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'RunPodSandbox RPC of this pod, with the earlier pods alive' },
  { name: 'container_create_start', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'CreateContainer + StartContainer RPCs of the pod’s long-running container' },
  { name: 'pod_start', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'sandbox + container start of this pod' },
  {
    name: 'pod_cgroup_bytes',
    unit: 'bytes',
    better: 'lower',
    clock: { source: 'cgroup', resolution: 4096, detail: 'memory.usage_in_bytes (v1) / memory.current (v2) of the pod’s cgroup parent: pause + container' },
    description: 'memory charged to the pod’s cgroup right after it started',
  },
  { name: 'shim_rss_bytes', unit: 'bytes', better: 'lower', clock: SMAPS, description: 'RSS of the pod’s containerd shim (outside the pod cgroup)' },
  { name: 'shim_pss_bytes', unit: 'bytes', better: 'lower', clock: SMAPS, description: 'PSS of the pod’s containerd shim: pages shared with other shims counted in shares' },
  {
    name: 'pod_memory_bytes',
    unit: 'bytes',
    better: 'lower',
    clock: { source: 'derived', resolution: 4096, detail: 'pod_cgroup_bytes + shim_pss_bytes' },
    description: 'memory per pod: sandbox + container (cgroup) + shim (PSS)',
  },
];

/** The sandbox (pause) pid from containerd's verbose PodSandboxStatus info. */
async function sandboxPid(client: CriClient, id: string): Promise<number | null> {
  try {
    const r = await client.podSandboxStatus(id, true);
    const info = JSON.parse(r.info['info'] ?? '{}') as { pid?: number };
    return typeof info.pid === 'number' && info.pid > 0 ? info.pid : null;
  } catch {
    return null;
  }
}

/** Why the ramp must stop now for the host's sake, or null. */
export function guardReason(minAvailableBytes: number, minFreeTasks: number, avail: number | null, tasks: number | null, max: number | null): string | null {
  if (avail !== null && avail < minAvailableBytes) {
    return `host MemAvailable ${(avail / 2 ** 20).toFixed(0)} MiB fell below the ${(minAvailableBytes / 2 ** 20).toFixed(0)} MiB floor`;
  }
  if (tasks !== null && max !== null && max - tasks < minFreeTasks) {
    return `host task count ${tasks} came within ${minFreeTasks} of kernel.pid_max ${max} (each pod adds a shim with its threads and a pause process)`;
  }
  return null;
}

/** Pids in a pod's cgroup tree: the memory hierarchy (v1), else the unified one (v2); null when neither exists. */
function podCgroupPids(cgroupPath: string, root: string): number[] | null {
  const v1 = cgroupPids(join(root, 'memory', cgroupPath), true);
  if (v1 !== null && v1.length) return v1;
  return cgroupPids(join(root, cgroupPath), true) ?? v1;
}

/** A live pod as the ramp keeps it for step measurements. */
export interface LivePod {
  cgroupParent: string;
  shimPid: number | null;
}

/**
 * Measures every live pod: summed cgroup usage, pod process PSS, shim PSS (shared shims counted once), process count.
 * Every value is required: a pod whose cgroup or a process of which is gone, or a file that cannot be read, throws
 * with the reason (never counted as 0 bytes).
 */
export function measurePods(pods: readonly LivePod[], roots: { proc?: string; cgroupRoot?: string } = {}): { cgroupBytes: number; pssBytes: number; shimPssBytes: number; processes: number } {
  const proc = roots.proc ?? '/proc';
  const root = roots.cgroupRoot ?? '/sys/fs/cgroup';
  let cgroupBytes = 0;
  let pssBytes = 0;
  let shimPssBytes = 0;
  let processes = 0;
  const shims = new Set<number>();
  for (const p of pods) {
    const charged = cgroupMemoryUsage(p.cgroupParent, root);
    if (charged === null) throw new Error(`memory of pod cgroup ${p.cgroupParent} unreadable: cgroup gone`);
    cgroupBytes += charged;
    const pids = podCgroupPids(p.cgroupParent, root);
    if (pids === null) throw new Error(`processes of pod cgroup ${p.cgroupParent} unreadable: cgroup gone`);
    if (!pids.length) throw new Error(`pod cgroup ${p.cgroupParent} holds no process`);
    for (const pid of pids) {
      const m = procMemory(pid, proc);
      if (!m) throw new Error(`pss of pid ${pid} (pod cgroup ${p.cgroupParent}) unreadable: process gone`);
      pssBytes += m.pss;
      processes++;
    }
    if (p.shimPid !== null && !shims.has(p.shimPid)) {
      shims.add(p.shimPid);
      const m = procMemory(p.shimPid, proc);
      if (!m) throw new Error(`pss of shim pid ${p.shimPid} (pod cgroup ${p.cgroupParent}) unreadable: process gone`);
      shimPssBytes += m.pss;
      processes++;
    }
  }
  return { cgroupBytes, pssBytes, shimPssBytes, processes };
}

/** Host memory in use (MemTotal − MemAvailable), bytes; throws when /proc/meminfo cannot be read. */
function hostUsed(): number {
  return hostMemory().used;
}

/**
 * Ramps pods up to the target, the first failure or a guard; leaves them running. Throws (after reporting the pod's
 * sample as failed) when a pod's or a step's memory cannot be read: never a step counted as 0 bytes.
 */
export async function criDensity(plan: CriDensityPlan): Promise<CriDensityRamp> {
  const { client, tracker } = plan;
  const used0 = hostUsed();
  const maxTasks = pidMax();
  const t0 = nowNs();
  const steps: DensityStep[] = [];
  const live: LivePod[] = [];
  let stepStarts: number[] = [];
  let newest: DensityStep['newest'];
  let failure: string | null = null;
  let stoppedBecause: string | null = null;
  const stepDone = (): void => {
    const m = measurePods(live);
    const n = live.length;
    const hostDeltaBytes = hostUsed() - used0;
    const sorted = [...stepStarts].sort((a, b) => a - b);
    const step: DensityStep = {
      instances: n,
      elapsedS: nsToNumber(deltaNs(t0, nowNs())) / 1e9,
      startP50Ns: sorted.length ? quantileSorted(sorted, 0.5) : 0,
      startP90Ns: sorted.length ? quantileSorted(sorted, 0.9) : 0,
      startMaxNs: sorted.length ? (sorted[sorted.length - 1] as number) : 0,
      ...m,
      hostDeltaBytes,
      ...(newest ? { newest } : {}),
      perInstance: n ? { cgroupBytes: m.cgroupBytes / n, pssBytes: (m.pssBytes + m.shimPssBytes) / n, hostDeltaBytes: hostDeltaBytes / n } : { cgroupBytes: 0, pssBytes: 0, hostDeltaBytes: 0 },
    };
    steps.push(step);
    plan.onStep(step);
    stepStarts = [];
  };
  for (let i = 0; i < plan.target; i++) {
    if (plan.signal.aborted) {
      stoppedBecause = 'interrupted';
      break;
    }
    const guard = guardReason(plan.minAvailableBytes, plan.minFreeTasks, memAvailable(), hostTasks(), maxTasks);
    if (guard) {
      stoppedBecause = guard;
      break;
    }
    const sb = sandboxConfig(tracker.runId, i, plan.network, plan.annotations);
    const values: Record<string, number> = {};
    const a = nowNs();
    let error: string | null = null;
    /** The pod started but its memory could not be read: a failed measurement, not the runtime's first failure. */
    let unreadable: string | null = null;
    try {
      const id = await client.runPodSandbox(sb, plan.handler);
      tracker.add(id);
      const b = nowNs();
      values['sandbox_start'] = nsToNumber(deltaNs(a, b));
      if (plan.image) {
        const cid = await client.createContainer(id, containerConfig(tracker.runId, plan.image, plan.args, plan.annotations), sb);
        await client.startContainer(cid);
        values['container_create_start'] = nsToNumber(deltaNs(b, nowNs()));
      }
      values['pod_start'] = nsToNumber(deltaNs(a, nowNs()));
      const cgroupParent = sb.linux?.cgroupParent ?? '';
      const shimOf = await sandboxPid(client, id);
      try {
        const mem = podMemory(shimOf, cgroupParent);
        live.push({ cgroupParent, shimPid: mem.shimPid });
        const own = measurePods([{ cgroupParent, shimPid: mem.shimPid }]);
        newest = { cgroupBytes: own.cgroupBytes, pssBytes: own.pssBytes, shimPssBytes: own.shimPssBytes };
        stepStarts.push(values['pod_start']);
        if (mem.cgroup !== null) values['pod_cgroup_bytes'] = mem.cgroup;
        if (mem.shimRss !== null) values['shim_rss_bytes'] = mem.shimRss;
        if (mem.shimPss !== null) values['shim_pss_bytes'] = mem.shimPss;
        if (mem.cgroup !== null && mem.shimPss !== null) values['pod_memory_bytes'] = mem.cgroup + mem.shimPss;
      } catch (e) {
        unreadable = `memory of pod ${i + 1} unreadable: ${errorMessage(e)}`;
      }
    } catch (e) {
      error = errorMessage(e);
    }
    const why = error ?? unreadable;
    const s: Sample = { index: i, warmup: false, ok: why === null, values };
    if (why !== null) s.error = why;
    plan.onStart(s);
    // The ramp cannot go on without its memory figures: the run fails with the reason (the caller removes the pods).
    if (unreadable !== null) throw new Error(unreadable);
    if (error !== null) {
      failure = `pod ${i + 1}: ${error}`;
      break;
    }
    if (live.length % plan.step === 0) stepDone();
  }
  if (stepStarts.length > 0 || steps.length === 0) stepDone();
  return { reached: live.length, failure, stoppedBecause, steps };
}
