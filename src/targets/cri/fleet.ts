/**
 * The CRI fleet: each instance is a pod (sandbox + one long-running container), one sample each (phase latencies,
 * its own memory); a reading covers every live pod (cgroup, process PSS, shim PSS). Stopping removes the run's pods.
 */
import { CLIENT_MONOTONIC, deltaNs, nowNs, nsToNumber } from '../../core/clock.js';
import type { MetricSpec } from '../../core/metric.js';
import { errorMessage } from '../../util/errors.js';
import type { FleetSession, FleetStart, InstanceMemory } from '../fleet.js';
import type { CriClient } from './client.js';
import { cgroupMemoryUsage, cgroupTreePids } from '../../host/cgroupfs.js';
import { procMemory, type HostRoots } from '../../host/procfs.js';
import { podMemory } from './memory.js';
import { containerConfig, sandboxConfig, type PodNetwork } from './pod.js';
import type { CleanupReport, SandboxTracker } from './tracker.js';

/** What a CRI fleet needs: the connection, the pods' shape and how its pods are removed. */
export interface CriFleetPlan {
  client: CriClient;
  tracker: SandboxTracker;
  handler: string;
  /** Annotations on each sandbox and container (the runtime's, e.g. module.wasm.image/variant). */
  annotations?: Readonly<Record<string, string>>;
  /** Image of the long-running container in each pod; null: sandboxes only. */
  image: string | null;
  args: string[];
  network: PodNetwork;
  /** Task slots to keep free under kernel.pid_max (each pod adds a shim with its threads and a pause process). */
  minFreeTasks: number;
  /** One line saying what each pod is made of (the fleet's first note). */
  about: string;
  /** Removes the tracker's pods (the target's teardown); leftovers are reported, not thrown. */
  removeAll(): Promise<CleanupReport>;
}

const SMAPS: MetricSpec['clock'] = { source: 'procfs', resolution: 1024, detail: '/proc/<pid>/smaps_rollup (kB)' };

/** Metrics of a density sample (one pod). */
export const DENSITY_METRICS: MetricSpec[] = [
  { name: 'sandbox_start', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'RunPodSandbox RPC of this pod, with the earlier pods alive' },
  {
    name: 'container_create_start',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: 'CreateContainer + StartContainer RPCs of the pod’s long-running container',
  },
  { name: 'pod_start', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'sandbox + container start of this pod' },
  {
    name: 'pod_cgroup_bytes',
    unit: 'bytes',
    better: 'lower',
    clock: { source: 'cgroup', resolution: 4096, detail: 'memory.usage_in_bytes (v1) / memory.current (v2) of the pod’s cgroup parent: pause + container' },
    description: 'memory charged to the pod’s cgroup right after it started',
  },
  { name: 'shim_rss_bytes', unit: 'bytes', better: 'lower', clock: SMAPS, description: 'RSS of the pod’s containerd shim (outside the pod cgroup)' },
  {
    name: 'shim_pss_bytes',
    unit: 'bytes',
    better: 'lower',
    clock: SMAPS,
    description: 'PSS of the pod’s containerd shim: pages shared with other shims counted in shares',
  },
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
export function measurePods(pods: readonly LivePod[], roots: HostRoots = {}): InstanceMemory & { processes: number } {
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
    const pids = cgroupTreePids(p.cgroupParent, root);
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

/** Starts pod number `i`: its sample (phase latencies, its memory) and, when it started and could be read, the pod and its own reading. */
async function startPod(plan: CriFleetPlan, i: number): Promise<{ start: FleetStart; pod?: LivePod; own?: InstanceMemory }> {
  const { client, tracker } = plan;
  const sb = sandboxConfig(tracker.runId, i, plan.network, plan.annotations);
  const cgroupParent = sb.linux?.cgroupParent ?? '';
  const values: Record<string, number> = {};
  let shimOf: number | null;
  let startNs: number;
  try {
    const a = nowNs();
    const id = await client.runPodSandbox(sb, plan.handler);
    tracker.add(id);
    const b = nowNs();
    values['sandbox_start'] = nsToNumber(deltaNs(a, b));
    if (plan.image) {
      const cid = await client.createContainer(id, containerConfig(tracker.runId, plan.image, plan.args, plan.annotations), sb);
      await client.startContainer(cid);
      values['container_create_start'] = nsToNumber(deltaNs(b, nowNs()));
    }
    startNs = nsToNumber(deltaNs(a, nowNs()));
    values['pod_start'] = startNs;
    shimOf = await sandboxPid(client, id);
  } catch (e) {
    return { start: { ok: false, startNs: 0, values, error: errorMessage(e) } };
  }
  // The pod started but its memory could not be read: a failed measurement (fatal), not the runtime's first failure.
  try {
    const mem = podMemory(shimOf, cgroupParent);
    const pod: LivePod = { cgroupParent, shimPid: mem.shimPid };
    const own = measurePods([pod]);
    if (mem.cgroup !== null) values['pod_cgroup_bytes'] = mem.cgroup;
    if (mem.shimRss !== null) values['shim_rss_bytes'] = mem.shimRss;
    if (mem.shimPss !== null) values['shim_pss_bytes'] = mem.shimPss;
    if (mem.cgroup !== null && mem.shimPss !== null) values['pod_memory_bytes'] = mem.cgroup + mem.shimPss;
    return { start: { ok: true, startNs, values }, pod, own: { cgroupBytes: own.cgroupBytes, pssBytes: own.pssBytes, shimPssBytes: own.shimPssBytes } };
  } catch (e) {
    return { start: { ok: false, startNs: 0, values, error: `memory of pod ${i + 1} unreadable: ${errorMessage(e)}`, fatal: true } };
  }
}

/**
 * A fleet of CRI pods; the newest pod is read on its own right after it started. stopAll removes the pods through
 * the plan (once); close removes them if that has not happened, closes the client and notes what was removed.
 */
export function criFleet(plan: CriFleetPlan): FleetSession {
  const live: LivePod[] = [];
  let newest: InstanceMemory | undefined;
  let removed: CleanupReport | null = null;
  const removeOnce = async (): Promise<CleanupReport> => (removed ??= await plan.removeAll());
  return {
    minFreeTasks: plan.minFreeTasks,
    async start(i) {
      const r = await startPod(plan, i);
      if (r.pod) live.push(r.pod);
      if (r.own) newest = r.own;
      return r.start;
    },
    async measure() {
      return { instances: live.length, ...measurePods(live), ...(newest ? { newest } : {}) };
    },
    async stopAll() {
      await removeOnce();
    },
    metrics: () => DENSITY_METRICS,
    async close(): Promise<string[]> {
      let r: CleanupReport;
      try {
        r = await removeOnce();
      } finally {
        plan.client.close();
      }
      const notes = [plan.about, `removed after the ramp: ${r.sandboxes} sandbox(es) and their containers, ${r.cgroups} cgroup dir(s)`];
      if (r.errors.length) notes.push(`cleanup errors: ${r.errors.slice(0, 3).join('; ')}`);
      return notes;
    },
  };
}
