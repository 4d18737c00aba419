/** Memory of a pod: its cgroup (sandbox + containers) and its containerd shim process (outside the pod cgroup). */
import { cgroupMemoryUsage } from '../../host/cgroupfs.js';
import { parentPid, procComm, procMemory } from '../../host/procfs.js';

/** One pod's memory: cgroup usage, and the shim's RSS/PSS. */
export interface PodMemory {
  cgroup: number | null;
  shimRss: number | null;
  shimPss: number | null;
  shimPid: number | null;
}

/** Measures a pod from its sandbox (pause) pid and its cgroup parent. */
export function podMemory(sandboxPid: number | null, cgroupParent: string): PodMemory {
  const shimPid = sandboxPid ? parentPid(sandboxPid) : null;
  const shim = shimPid && /^containerd-shim/.test(procComm(shimPid) ?? '') ? procMemory(shimPid) : null;
  return { cgroup: cgroupMemoryUsage(cgroupParent), shimRss: shim?.rss ?? null, shimPss: shim?.pss ?? null, shimPid: shim ? shimPid : null };
}
