/** Memory and process counts of running containers, read from procfs and cgroupfs (v1 and v2). */
import { cgroupMemoryBytes, cgroupProcessCount, memoryCgroupDir } from '../../host/cgroupfs.js';
import { hostMemory, parentPid, procComm, pssBytes, type HostRoots } from '../../host/procfs.js';

/** A running container as seen from the host. */
export interface ContainerHandle {
  id: string;
  /** Host pid of the container's init process. */
  pid: number;
}

/** Memory of a set of containers: what their cgroups are charged, their processes' PSS (plus any containerd shim), counts. */
export interface MemorySnapshot {
  containers: number;
  cgroupBytes: number;
  pssBytes: number;
  /** PSS of containerd shims serving these containers (0 where there are none). */
  shimPssBytes: number;
  processes: number;
  shims: number;
  hostUsedBytes: number;
  hostAvailableBytes: number;
}

/**
 * Measures containers now. Shims are parents named containerd-shim*. Every value is required: a container whose
 * process or cgroup is gone, or a file that cannot be read, throws with the reason (never counted as 0 bytes).
 */
export function snapshot(handles: readonly ContainerHandle[], roots: HostRoots = {}): MemorySnapshot {
  const proc = roots.proc ?? '/proc';
  let cgroupBytes = 0;
  let pss = 0;
  let processes = 0;
  let shimPss = 0;
  const shims = new Set<number>();
  const cgroups = new Set<string>();
  for (const h of handles) {
    const own = pssBytes(h.pid, proc);
    if (own === null) throw new Error(`pss of pid ${h.pid} (container ${h.id}) unreadable: process gone`);
    pss += own;
    const dir = memoryCgroupDir(h.pid, proc, roots.cgroupRoot);
    if (dir === null)
      throw new Error(`memory cgroup of pid ${h.pid} (container ${h.id}) not found: process gone or no memory controller in /proc/${h.pid}/cgroup`);
    if (!cgroups.has(dir)) {
      cgroups.add(dir);
      const bytes = cgroupMemoryBytes(dir);
      if (bytes === null) throw new Error(`memory of cgroup ${dir} (container ${h.id}) unreadable: cgroup gone`);
      const count = cgroupProcessCount(dir);
      if (count === null) throw new Error(`processes of cgroup ${dir} (container ${h.id}) unreadable: cgroup gone`);
      cgroupBytes += bytes;
      processes += count;
    }
    const pp = parentPid(h.pid, proc);
    if (pp && pp > 1 && !shims.has(pp) && procComm(pp, proc)?.startsWith('containerd-shim')) {
      const sp = pssBytes(pp, proc);
      if (sp === null) throw new Error(`pss of shim pid ${pp} (container ${h.id}) unreadable: process gone`);
      shims.add(pp);
      shimPss += sp;
    }
  }
  const host = hostMemory(proc);
  return {
    containers: handles.length,
    cgroupBytes,
    pssBytes: pss,
    shimPssBytes: shimPss,
    processes: processes + shims.size,
    shims: shims.size,
    hostUsedBytes: host.used,
    hostAvailableBytes: host.available,
  };
}
