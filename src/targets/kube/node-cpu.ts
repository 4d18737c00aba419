/**
 * CPU of a node over time, read from the node's own /proc (the cluster runs on this host): the whole host
 * (/proc/stat), the control plane (kube-apiserver, controller-manager, scheduler, etcd, k3s server), the node
 * agent (kubelet, its containerd and shims) and the pods (the shims' descendants), from /proc/PID/stat
 * utime+stime. Resolution: one clock tick (10 ms of CPU at USER_HZ 100) per interval.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { nowNs } from '../../core/clock.js';

/** One row of the CPU series (millicores averaged over the interval ending at tMs). */
export interface CpuRow {
  tMs: number;
  host: number;
  controlPlane: number;
  nodeAgent: number;
  pods: number;
}

const TICK_MS = 10; // USER_HZ 100 on Linux (sysconf(_SC_CLK_TCK)); fixed for every mainstream kernel
type Klass = 'controlPlane' | 'nodeAgent' | 'pods';

interface Proc { pid: number; ppid: number; comm: string; cmd: string; ticks: number }

function readProcs(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.push({ pid: Number(d), ppid: Number(f[1]), comm, cmd, ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

function hostBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return (line[0] ?? 0) + (line[1] ?? 0) + (line[2] ?? 0) + (line[5] ?? 0) + (line[6] ?? 0) + (line[7] ?? 0);
}

/** Classifies processes: the kubelet's runtime is found from its --container-runtime-endpoint socket. */
export function classify(procs: readonly Proc[]): Map<number, Klass> {
  const m = new Map<number, Klass>();
  const kubelet = procs.find((p) => p.comm === 'kubelet');
  const sock = kubelet?.cmd.match(/--container-runtime-endpoint[= ](?:unix:\/\/)?(\S+)/)?.[1];
  const sockDir = sock ? sock.slice(0, sock.lastIndexOf('/') + 1) : null;
  const shims = new Set<number>();
  for (const p of procs) {
    if (/^(kube-apiserver|kube-controller|kube-scheduler|etcd)/.test(p.comm) || /^k3s (server|agent)/.test(p.cmd)) m.set(p.pid, 'controlPlane');
    else if (p.comm === 'kubelet') m.set(p.pid, 'nodeAgent');
    else if (sockDir && p.comm === 'containerd' && p.cmd.includes(sockDir)) m.set(p.pid, 'nodeAgent');
    else if (sock && p.comm.startsWith('containerd-shim') && p.cmd.includes(sock)) {
      m.set(p.pid, 'nodeAgent');
      shims.add(p.pid);
    }
  }
  // Pods: every descendant of a shim.
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const stack = [...shims];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      if (!m.has(c)) m.set(c, 'pods');
      stack.push(c);
    }
  }
  return m;
}

/** True when this host runs a kubelet (so its /proc describes the node). */
export function nodeIsLocal(): boolean {
  return readProcs().some((p) => p.comm === 'kubelet');
}

/** Samples CPU every intervalMs until stopped. */
export function sampleNodeCpu(intervalMs: number): { stop: () => { rows: CpuRow[]; resolutionMillicores: number } } {
  const t0 = nowNs();
  const rows: CpuRow[] = [];
  let lastHost = hostBusyTicks();
  let last = new Map(readProcs().map((p) => [p.pid, p.ticks]));
  let lastT = nowNs();
  const tick = (): void => {
    const procs = readProcs();
    const host = hostBusyTicks();
    const now = nowNs();
    const ms = Number(now - lastT) / 1e6;
    const klass = classify(procs);
    const sums: Record<Klass, number> = { controlPlane: 0, nodeAgent: 0, pods: 0 };
    for (const p of procs) {
      const k = klass.get(p.pid);
      if (!k) continue;
      sums[k] += p.ticks - (last.get(p.pid) ?? 0);
    }
    const mc = (ticks: number): number => Math.round(((ticks * TICK_MS) / ms) * 1000);
    rows.push({ tMs: Math.round(Number(now - t0) / 1e6), host: mc(host - lastHost), controlPlane: mc(sums.controlPlane), nodeAgent: mc(sums.nodeAgent), pods: mc(sums.pods) });
    last = new Map(procs.map((p) => [p.pid, p.ticks]));
    lastHost = host;
    lastT = now;
  };
  const timer = setInterval(tick, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      tick();
      return { rows, resolutionMillicores: Math.round((TICK_MS / intervalMs) * 1000) };
    },
  };
}
