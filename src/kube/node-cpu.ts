/**
 * CPU of a node over time, read on the node itself (the cluster runs on this host): the whole host (/proc/stat),
 * the control plane (kube-apiserver, controller-manager, scheduler, etcd, k3s) and the node agent (kubelet and its
 * containerd) from /proc/PID/stat utime+stime (10 ms ticks), and the pods from the cpuacct cgroup their containers
 * live in (the kubelet's containerd with the cgroupfs driver puts them under /<containerd namespace>/, cumulative
 * ns). Processes are found once, at the start (a /proc scan costs ~1 s on a host with thousands of processes);
 * containerd shims are not attributed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { nowNs } from '../core/clock.js';

/** One row of the CPU series (millicores averaged over the interval ending at tMs). */
export interface CpuRow {
  tMs: number;
  /** Actual length of the interval (the sampler runs late under CPU contention). */
  intervalMs: number;
  host: number;
  controlPlane: number;
  nodeAgent: number;
  /** null when the pods' cgroup was not found. */
  pods: number | null;
}

const TICK_MS = 10; // USER_HZ 100 (sysconf(_SC_CLK_TCK)) on every mainstream Linux
type Klass = 'controlPlane' | 'nodeAgent';

interface Proc { pid: number; comm: string; cmd: string }

const INTERESTING = /^(kubelet|containerd|kube-|etcd|k3s)/;

function scan(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const comm = readFileSync(`/proc/${d}/comm`, 'utf8').trim();
      if (!INTERESTING.test(comm)) continue;
      out.push({ pid: Number(d), comm, cmd: readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** Classifies processes: the kubelet's containerd is found from the kubelet's --container-runtime-endpoint. */
export function classify(procs: readonly Proc[]): Map<number, Klass> {
  const m = new Map<number, Klass>();
  const kubelet = procs.find((p) => p.comm === 'kubelet');
  const sock = kubelet?.cmd.match(/--container-runtime-endpoint[= ](?:unix:\/\/)?(\S+)/)?.[1];
  const sockDir = sock ? sock.slice(0, sock.lastIndexOf('/') + 1) : null;
  for (const p of procs) {
    if (/^(kube-apiserver|kube-controller|kube-scheduler|etcd)/.test(p.comm) || /^\S*k3s (server|agent)/.test(p.cmd)) m.set(p.pid, 'controlPlane');
    else if (p.comm === 'kubelet') m.set(p.pid, 'nodeAgent');
    else if (sockDir && p.comm === 'containerd' && p.cmd.includes(sockDir)) m.set(p.pid, 'nodeAgent');
  }
  return m;
}

function ticks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return null;
  }
}

function hostBusyTicks(): number {
  const v = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return (v[0] ?? 0) + (v[1] ?? 0) + (v[2] ?? 0) + (v[5] ?? 0) + (v[6] ?? 0) + (v[7] ?? 0);
}

/** The cpuacct cgroup holding the kubelet's containers (containerd namespace k8s.io, cgroupfs driver), or null. */
export function podCgroup(): string | null {
  const p = '/sys/fs/cgroup/cpuacct/k8s.io/cpuacct.usage';
  return existsSync(p) ? p : null;
}

function cgroupNs(path: string | null): number | null {
  if (!path) return null;
  try {
    return Number(readFileSync(path, 'utf8').trim());
  } catch {
    return null;
  }
}

/** True when this host runs a kubelet (so its /proc describes the node). */
export function nodeIsLocal(): boolean {
  return scan().some((p) => p.comm === 'kubelet');
}

/** Samples CPU every intervalMs until stopped. */
export function sampleNodeCpu(intervalMs: number): { stop: () => { rows: CpuRow[]; resolutionMillicores: number; podsSource: string | null } } {
  const klass = classify(scan());
  const cg = podCgroup();
  const t0 = nowNs();
  const rows: CpuRow[] = [];
  const read = (): { procs: Map<number, number>; pods: number | null; host: number; at: bigint } => {
    const procs = new Map<number, number>();
    for (const pid of klass.keys()) {
      const t = ticks(pid);
      if (t !== null) procs.set(pid, t);
    }
    return { procs, pods: cgroupNs(cg), host: hostBusyTicks(), at: nowNs() };
  };
  let last = read();
  const tick = (): void => {
    const cur = read();
    const ms = Number(cur.at - last.at) / 1e6;
    if (ms <= 0) return;
    const sums: Record<Klass, number> = { controlPlane: 0, nodeAgent: 0 };
    for (const [pid, t] of cur.procs) {
      const k = klass.get(pid)!;
      sums[k] += t - (last.procs.get(pid) ?? t);
    }
    const mc = (tk: number): number => Math.round(((tk * TICK_MS) / ms) * 1000);
    rows.push({
      tMs: Math.round(Number(cur.at - t0) / 1e6),
      intervalMs: Math.round(ms),
      host: mc(cur.host - last.host),
      controlPlane: mc(sums.controlPlane),
      nodeAgent: mc(sums.nodeAgent),
      pods: cur.pods !== null && last.pods !== null ? Math.round(((cur.pods - last.pods) / 1e6 / ms) * 1000) : null,
    });
    last = cur;
  };
  const timer = setInterval(tick, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      tick();
      return { rows, resolutionMillicores: Math.round((TICK_MS / intervalMs) * 1000), podsSource: cg ? `cgroup ${cg} (ns)` : null };
    },
  };
}
