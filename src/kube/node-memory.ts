/**
 * Memory read on the node itself, when the harness runs there: the control plane's processes (K3s server/agent and
 * its containerd, or kube-apiserver, controller manager, scheduler, etcd, kubelet, kube-proxy and the kubelet's
 * containerd) and each pod's processes (everything under its containerd shim) from /proc and cgroupfs.
 */
import { networkInterfaces, hostname } from 'node:os';
import { basename } from 'node:path';
import { cgroupMemoryBytes, kubepodsDirs, memoryCgroupDir, podCgroupDir } from '../host/cgroupfs.js';
import { listPids, parentPid, procArgs, procComm, procMemory, socketInodes, unixSocketInodes } from '../host/procfs.js';

/** One process as seen in one /proc scan. */
export interface ProcEntry {
  pid: number;
  ppid: number | null;
  comm: string;
  /** Memory cgroup directory. */
  cgroup: string | null;
}

/** A snapshot of the process table, indexed for the lookups below. */
export interface ProcScan {
  proc: string;
  byPid: Map<number, ProcEntry>;
  children: Map<number, number[]>;
  /** kubepods* cgroup directories, found on the first pod lookup of this scan. */
  kubepods?: string[];
}

/** Reads every process's parent, name and memory cgroup once. */
export function scanProcesses(proc = '/proc', cgroupRoot?: string): ProcScan {
  const byPid = new Map<number, ProcEntry>();
  const children = new Map<number, number[]>();
  for (const pid of listPids(proc)) {
    const comm = procComm(pid, proc);
    if (comm === null) continue;
    const ppid = parentPid(pid, proc);
    byPid.set(pid, { pid, ppid, comm, cgroup: memoryCgroupDir(pid, proc, cgroupRoot) });
    if (ppid !== null) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  return { proc, byPid, children };
}

/** A control-plane or node-agent process, with its memory. */
export interface ComponentMemory {
  /** What it is: k3s-server, k3s-agent, kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kubelet, kube-proxy, containerd. */
  component: string;
  pid: number;
  rssBytes: number;
  pssBytes: number;
}

/** The control plane found on this node and how its container runtime was identified. */
export interface ControlPlaneMemory {
  /** 'k3s' when K3s processes run here, 'kubernetes' for separate upstream components, null when none were found. */
  distribution: 'k3s' | 'kubernetes' | null;
  components: ComponentMemory[];
  /** How the containerd counted here was told apart from other containerd daemons on the host. */
  runtimeFoundBy: string;
  /** Components found earlier whose process was gone at this reading (present only when some were). */
  gone?: string[];
}

/** comm (15 characters at most) → component name. */
const UPSTREAM: Record<string, string> = {
  'kube-apiserver': 'kube-apiserver',
  'kube-controller': 'kube-controller-manager',
  'kube-scheduler': 'kube-scheduler',
  kubelet: 'kubelet',
  'kube-proxy': 'kube-proxy',
  etcd: 'etcd',
};

/** Names the K3s process a pid is (k3s renames itself k3s-server / k3s-agent; a plain "k3s server" also counts), or null. */
export function k3sRole(e: ProcEntry, proc: string): string | null {
  if (e.comm === 'k3s-server' || e.comm === 'k3s-agent') return e.comm;
  if (e.comm === 'k3s') {
    const sub = procArgs(e.pid, proc)?.[1];
    if (sub === 'server' || sub === 'agent') return `k3s-${sub}`;
  }
  return null;
}

/** The unix socket path the kubelet talks CRI to (--container-runtime-endpoint), or null. */
export function kubeletRuntimeSocket(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = a.startsWith('--container-runtime-endpoint=') ? a.slice(a.indexOf('=') + 1) : a === '--container-runtime-endpoint' ? args[i + 1] : undefined;
    if (v) return v.replace(/^unix:\/\//, '');
  }
  return null;
}

/** Finds the control plane's processes on this host (no memory read yet). */
export function findControlPlane(scan: ProcScan): { distribution: ControlPlaneMemory['distribution']; members: { component: string; pid: number }[]; runtimeFoundBy: string } {
  const members: { component: string; pid: number }[] = [];
  const k3s: number[] = [];
  let kubelet: number | null = null;
  for (const e of scan.byPid.values()) {
    const role = k3sRole(e, scan.proc);
    if (role) {
      members.push({ component: role, pid: e.pid });
      k3s.push(e.pid);
      continue;
    }
    const up = UPSTREAM[e.comm];
    if (up) {
      members.push({ component: up, pid: e.pid });
      if (up === 'kubelet') kubelet = e.pid;
    }
  }
  const containerds = [...scan.byPid.values()].filter((e) => e.comm === 'containerd');
  let runtime: number[] = [];
  let runtimeFoundBy = 'no containerd found';
  // K3s runs its containerd as a child process.
  const k3sChild = containerds.filter((e) => e.ppid !== null && k3s.includes(e.ppid));
  if (k3sChild.length) {
    runtime = k3sChild.map((e) => e.pid);
    runtimeFoundBy = 'child process of k3s';
  } else if (kubelet !== null) {
    const sock = kubeletRuntimeSocket(procArgs(kubelet, scan.proc) ?? []);
    const inodes = sock ? unixSocketInodes(sock, scan.proc) : new Set<number>();
    const match = containerds.filter((e) => [...socketInodes(e.pid, scan.proc)].some((i) => inodes.has(i)));
    if (match.length) {
      runtime = match.map((e) => e.pid);
      runtimeFoundBy = `listens on the kubelet's runtime endpoint ${sock}`;
    } else if (containerds.length === 1) {
      runtime = [containerds[0]!.pid];
      runtimeFoundBy = 'the only containerd on the host';
    } else if (containerds.length > 1) {
      runtimeFoundBy = `${containerds.length} containerd daemons and none matched the kubelet's runtime endpoint ${sock ?? '(not given)'}: none counted`;
    }
  }
  for (const pid of runtime) members.push({ component: 'containerd', pid });
  const distribution = k3s.length ? 'k3s' : members.length ? 'kubernetes' : null;
  return { distribution, members, runtimeFoundBy };
}

/** The control plane's processes as found once; their memory is then read per reading. */
export type ControlPlane = ReturnType<typeof findControlPlane>;

/**
 * Reads the memory of already found control-plane processes now (RSS and PSS from smaps_rollup). Gone ones are listed
 * in `gone` (present only then): a sum over the rest is not the control plane's memory. Unreadable files throw.
 */
export function readControlPlane(found: ControlPlane, proc = '/proc'): ControlPlaneMemory {
  const components: ComponentMemory[] = [];
  const gone: string[] = [];
  for (const m of found.members) {
    const mem = procMemory(m.pid, proc);
    if (mem) components.push({ component: m.component, pid: m.pid, rssBytes: mem.rss, pssBytes: mem.pss });
    else gone.push(`${m.component} (pid ${m.pid})`);
  }
  return { distribution: found.distribution, components, runtimeFoundBy: found.runtimeFoundBy, ...(gone.length ? { gone } : {}) };
}

/** Finds the control plane in a scan and reads its memory now. */
export function controlPlaneMemory(scan: ProcScan): ControlPlaneMemory {
  return readControlPlane(findControlPlane(scan), scan.proc);
}

/** One pod's memory as seen on the node. */
export interface PodLocalMemory {
  /** Memory charged to the pod: its pod cgroup, or (kubelet without per-pod cgroups) the sum of its containers' cgroups, sandbox included. */
  cgroupBytes: number | null;
  cgroupSource: 'pod cgroup' | 'container cgroups';
  /** PSS of the pod's processes (sandbox and containers, not the shim); null when one of them was gone (see `unreadable`). */
  pssBytes: number | null;
  /** PSS of the pod's containerd shim, or null when none was found. */
  shimPssBytes: number | null;
  shimPid: number | null;
  processes: number;
  /** Why a figure above is null though it was looked for (a process or cgroup gone meanwhile); present only then. */
  unreadable?: string[];
}

/**
 * Finds a pod's processes from its container IDs (the memory cgroup of a container process ends with its ID) and
 * counts everything under their containerd shim; null when none of its containers runs on this host.
 */
export function podLocalMemory(uid: string, containerIds: readonly string[], scan: ProcScan, cgroupRoot?: string): PodLocalMemory | null {
  const ids = containerIds.filter(Boolean);
  if (!ids.length) return null;
  const inContainers = [...scan.byPid.values()].filter((e) => e.cgroup && ids.some((id) => basename(e.cgroup!).includes(id)));
  if (!inContainers.length) return null;
  const set = new Set(inContainers.map((e) => e.pid));
  const init = inContainers.find((e) => e.ppid === null || !set.has(e.ppid));
  const parent = init?.ppid != null ? scan.byPid.get(init.ppid) : undefined;
  const shim = parent && parent.comm.startsWith('containerd-shim') ? parent : undefined;
  // All descendants of the shim: the sandbox (pause) and every container of the pod.
  const pids: number[] = [];
  if (shim) {
    const todo = [...(scan.children.get(shim.pid) ?? [])];
    while (todo.length) {
      const p = todo.pop()!;
      pids.push(p);
      todo.push(...(scan.children.get(p) ?? []));
    }
  } else pids.push(...set);
  // A process or cgroup gone since the scan leaves its figure out (null, with the reason): never counted as 0 bytes.
  const unreadable: string[] = [];
  let pss: number | null = 0;
  for (const p of pids) {
    const m = procMemory(p, scan.proc);
    if (m === null) {
      unreadable.push(`pss of pid ${p} unreadable: process gone`);
      pss = null;
    } else if (pss !== null) pss += m.pss;
  }
  scan.kubepods ??= kubepodsDirs(cgroupRoot);
  const podDir = podCgroupDir(uid, cgroupRoot, scan.kubepods);
  let cgroupBytes: number | null;
  let cgroupSource: PodLocalMemory['cgroupSource'] = 'pod cgroup';
  if (podDir) {
    cgroupBytes = cgroupMemoryBytes(podDir);
    if (cgroupBytes === null) unreadable.push(`memory of pod cgroup ${podDir} unreadable: cgroup gone`);
  } else {
    cgroupSource = 'container cgroups';
    const dirs = new Set(pids.map((p) => scan.byPid.get(p)?.cgroup).filter((d): d is string => !!d));
    cgroupBytes = dirs.size ? 0 : null;
    for (const d of dirs) {
      const b = cgroupMemoryBytes(d);
      if (b === null) unreadable.push(`memory of container cgroup ${d} unreadable: cgroup gone`);
      cgroupBytes = b === null || cgroupBytes === null ? null : cgroupBytes + b;
    }
  }
  const shimMem = shim ? procMemory(shim.pid, scan.proc) : null;
  if (shim && !shimMem) unreadable.push(`pss of shim pid ${shim.pid} unreadable: process gone`);
  return { cgroupBytes, cgroupSource, pssBytes: pss, shimPssBytes: shimMem?.pss ?? null, shimPid: shim && shimMem ? shim.pid : null, processes: pids.length, ...(unreadable.length ? { unreadable } : {}) };
}

/** Whether a node is this host: its name is our hostname or one of its addresses is ours. */
export function isThisHost(node: { name: string; addresses: readonly string[] }): boolean {
  if (node.name === hostname()) return true;
  const ours = new Set(Object.values(networkInterfaces()).flatMap((l) => (l ?? []).map((a) => a.address)));
  return node.addresses.some((a) => ours.has(a));
}
