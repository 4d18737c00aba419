/** Memory and process counts of running containers, read from procfs and cgroupfs (v1 and v2). */
import { cgroupMemoryBytes, cgroupProcessCount, memoryCgroupDir } from '../../host/cgroupfs.js';
import { hostMemory, parentPid, procComm, pssBytes } from '../../host/procfs.js';

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

/** Measures containers now. Shims are parents named containerd-shim*. */
export function snapshot(handles: readonly ContainerHandle[]): MemorySnapshot {
  let cgroupBytes = 0;
  let pss = 0;
  let processes = 0;
  let shimPss = 0;
  const shims = new Set<number>();
  const cgroups = new Set<string>();
  for (const h of handles) {
    const dir = memoryCgroupDir(h.pid);
    if (dir && !cgroups.has(dir)) {
      cgroups.add(dir);
      cgroupBytes += cgroupMemoryBytes(dir) ?? 0;
      processes += cgroupProcessCount(dir) ?? 0;
    }
    pss += pssBytes(h.pid) ?? 0;
    const pp = parentPid(h.pid);
    if (pp && pp > 1 && !shims.has(pp) && procComm(pp)?.startsWith('containerd-shim')) {
      shims.add(pp);
      shimPss += pssBytes(pp) ?? 0;
    }
  }
  const host = hostMemory();
  return { containers: handles.length, cgroupBytes, pssBytes: pss, shimPssBytes: shimPss, processes: processes + shims.size, shims: shims.size, hostUsedBytes: host.used, hostAvailableBytes: host.available };
}
