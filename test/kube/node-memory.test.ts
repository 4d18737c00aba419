import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { controlPlaneMemory, findControlPlane, kubeletRuntimeSocket, podLocalMemory, scanProcesses } from '../../src/kube/node-memory.js';
import { oldestNodeStats, podStatsTime, podWorkingSet, systemContainerWorkingSets } from '../../src/kube/summary.js';

/** A fake /proc and cgroupfs: processes with comm, parent, cmdline, memory cgroup and smaps_rollup. */
function fakeHost(): { proc: string; cg: string; add: (pid: number, ppid: number, comm: string, o?: { args?: string[]; cgroup?: string; rssKb?: number; pssKb?: number; sockets?: number[] }) => void; cgroupMem: (path: string, bytes: number) => void } {
  const root = mkdtempSync(join(tmpdir(), 'eb-fakehost-'));
  const proc = join(root, 'proc');
  const cg = join(root, 'cgroup');
  mkdirSync(join(proc, 'net'), { recursive: true });
  mkdirSync(join(cg, 'memory'), { recursive: true });
  writeFileSync(join(proc, 'net', 'unix'), 'Num       RefCount Protocol Flags    Type St Inode Path\n');
  const add = (pid: number, ppid: number, comm: string, o: { args?: string[]; cgroup?: string; rssKb?: number; pssKb?: number; sockets?: number[] } = {}): void => {
    const d = join(proc, String(pid));
    mkdirSync(join(d, 'fd'), { recursive: true });
    writeFileSync(join(d, 'comm'), `${comm}\n`);
    writeFileSync(join(d, 'stat'), `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1\n`);
    writeFileSync(join(d, 'cmdline'), (o.args ?? [comm]).join('\0') + '\0');
    writeFileSync(join(d, 'cgroup'), `4:memory:${o.cgroup ?? '/'}\n1:name=systemd:/\n`);
    writeFileSync(join(d, 'smaps_rollup'), `00400000-7fff [rollup]\nRss:     ${o.rssKb ?? 1000} kB\nPss:     ${o.pssKb ?? 800} kB\n`);
    (o.sockets ?? []).forEach((ino, i) => symlinkSync(`socket:[${ino}]`, join(d, 'fd', String(10 + i))));
  };
  const cgroupMem = (path: string, bytes: number): void => {
    mkdirSync(join(cg, 'memory', path), { recursive: true });
    writeFileSync(join(cg, 'memory', path, 'memory.usage_in_bytes'), `${bytes}\n`);
  };
  return { proc, cg, add, cgroupMem };
}

describe('control plane on the node (/proc)', () => {
  it('K3s: k3s-server and the containerd it runs as a child, not another containerd on the host', () => {
    const h = fakeHost();
    h.add(1, 0, 'systemd');
    h.add(100, 1, 'k3s-server', { rssKb: 200_000, pssKb: 190_000 });
    h.add(150, 100, 'containerd', { rssKb: 40_000, pssKb: 39_000 });
    h.add(300, 1, 'containerd', { rssKb: 60_000 }); // docker's containerd, not K3s's
    h.add(400, 1, 'containerd-shim', { rssKb: 9_000 });
    const cp = controlPlaneMemory(scanProcesses(h.proc, h.cg));
    expect(cp.distribution).toBe('k3s');
    expect(cp.runtimeFoundBy).toBe('child process of k3s');
    expect(cp.components.map((c) => [c.component, c.pid, c.rssBytes])).toEqual([
      ['k3s-server', 100, 200_000 * 1024],
      ['containerd', 150, 40_000 * 1024],
    ]);
  });

  it('names "k3s agent" by its arguments when the process was not renamed', () => {
    const h = fakeHost();
    h.add(100, 1, 'k3s', { args: ['/usr/local/bin/k3s', 'agent', '--server', 'https://x:6443'] });
    h.add(101, 1, 'k3s', { args: ['/usr/local/bin/k3s', 'kubectl', 'get', 'pods'] });
    const f = findControlPlane(scanProcesses(h.proc, h.cg));
    expect(f.distribution).toBe('k3s');
    expect(f.members).toEqual([{ component: 'k3s-agent', pid: 100 }]);
  });

  it('upstream: the containerd counted is the one listening on the kubelet\'s runtime endpoint', () => {
    const h = fakeHost();
    writeFileSync(join(h.proc, 'net', 'unix'), 'Num       RefCount Protocol Flags    Type St Inode Path\n0000: 00000002 00000000 00010000 0001 01 5555 /run/other/containerd.sock\n0000: 00000002 00000000 00010000 0001 01 7777 /run/k/containerd.sock\n');
    h.add(10, 1, 'kube-apiserver', { rssKb: 300_000 });
    h.add(11, 1, 'kube-controller', { rssKb: 80_000 });
    h.add(12, 1, 'etcd', { rssKb: 100_000 });
    h.add(13, 1, 'kubelet', { args: ['kubelet', '--container-runtime-endpoint', 'unix:///run/k/containerd.sock'], rssKb: 70_000 });
    h.add(20, 1, 'containerd', { sockets: [5555] });
    h.add(21, 1, 'containerd', { sockets: [9, 7777] });
    const cp = controlPlaneMemory(scanProcesses(h.proc, h.cg));
    expect(cp.distribution).toBe('kubernetes');
    expect(cp.runtimeFoundBy).toBe("listens on the kubelet's runtime endpoint /run/k/containerd.sock");
    expect(cp.components.map((c) => c.component).sort()).toEqual(['containerd', 'etcd', 'kube-apiserver', 'kube-controller-manager', 'kubelet']);
    expect(cp.components.find((c) => c.component === 'containerd')?.pid).toBe(21);
  });

  it('counts no containerd when several run and none matches, and says so', () => {
    const h = fakeHost();
    h.add(13, 1, 'kubelet', { args: ['kubelet', '--container-runtime-endpoint=unix:///run/k/c.sock'] });
    h.add(20, 1, 'containerd');
    h.add(21, 1, 'containerd');
    const f = findControlPlane(scanProcesses(h.proc, h.cg));
    expect(f.members).toEqual([{ component: 'kubelet', pid: 13 }]);
    expect(f.runtimeFoundBy).toMatch(/^2 containerd daemons and none matched .*\/run\/k\/c\.sock: none counted$/);
  });

  it('finds nothing on a host without a control plane', () => {
    const h = fakeHost();
    h.add(1, 0, 'systemd');
    expect(controlPlaneMemory(scanProcesses(h.proc, h.cg))).toEqual({ distribution: null, components: [], runtimeFoundBy: 'no containerd found' });
  });

  it('reads the kubelet runtime endpoint in both flag forms', () => {
    expect(kubeletRuntimeSocket(['kubelet', '--container-runtime-endpoint', 'unix:///a.sock'])).toBe('/a.sock');
    expect(kubeletRuntimeSocket(['kubelet', '--container-runtime-endpoint=/b.sock'])).toBe('/b.sock');
    expect(kubeletRuntimeSocket(['kubelet'])).toBeNull();
  });
});

describe('one pod on the node (/proc, cgroups)', () => {
  const APP = 'e35d0250a94c';
  const SANDBOX = '7d2d5645946d';
  function pod(h: ReturnType<typeof fakeHost>): void {
    h.add(500, 1, 'containerd-shim', { pssKb: 4_000 });
    h.add(501, 500, 'pause', { cgroup: `/k8s.io/${SANDBOX}`, pssKb: 100 });
    h.add(502, 500, 'serve', { cgroup: `/k8s.io/${APP}`, pssKb: 200 });
    h.add(503, 502, 'worker', { cgroup: `/k8s.io/${APP}`, pssKb: 50 });
    h.add(600, 1, 'containerd-shim', { pssKb: 4_000 }); // another pod's shim
    h.add(601, 600, 'pause', { cgroup: '/k8s.io/ffff', pssKb: 100 });
  }

  it('counts every process under the pod\'s shim and sums its containers\' cgroups when there is no pod cgroup', () => {
    const h = fakeHost();
    pod(h);
    h.cgroupMem(`k8s.io/${SANDBOX}`, 100_000);
    h.cgroupMem(`k8s.io/${APP}`, 500_000);
    const m = podLocalMemory('uid-1', [APP], scanProcesses(h.proc, h.cg), h.cg);
    expect(m).toEqual({ cgroupBytes: 600_000, cgroupSource: 'container cgroups', pssBytes: 350 * 1024, shimPssBytes: 4_000 * 1024, shimPid: 500, processes: 3 });
  });

  it('uses the pod cgroup where the kubelet makes one (cgroupfs driver)', () => {
    const h = fakeHost();
    pod(h);
    h.cgroupMem('kubepods/besteffort/poduid-1', 777_000);
    const m = podLocalMemory('uid-1', [APP], scanProcesses(h.proc, h.cg), h.cg);
    expect(m?.cgroupBytes).toBe(777_000);
    expect(m?.cgroupSource).toBe('pod cgroup');
  });

  it('finds the systemd driver\'s pod slice', () => {
    const h = fakeHost();
    pod(h);
    h.cgroupMem('kubepods.slice/kubepods-burstable.slice/kubepods-burstable-poduid_1.slice', 888_000);
    expect(podLocalMemory('uid-1', [APP], scanProcesses(h.proc, h.cg), h.cg)?.cgroupBytes).toBe(888_000);
  });

  it('is null for a pod whose containers do not run on this host', () => {
    const h = fakeHost();
    pod(h);
    expect(podLocalMemory('uid-2', ['abcdef123456'], scanProcesses(h.proc, h.cg), h.cg)).toBeNull();
    expect(podLocalMemory('uid-2', [], scanProcesses(h.proc, h.cg), h.cg)).toBeNull();
  });
});

describe('kubelet summary API parts', () => {
  it('takes the pod working set, else the sum of its containers', () => {
    const ref = { name: 'p', namespace: 'n', uid: 'u' };
    expect(podWorkingSet({ podRef: ref, memory: { workingSetBytes: 5 }, containers: [{ name: 'a', memory: { workingSetBytes: 9 } }] })).toBe(5);
    expect(podWorkingSet({ podRef: ref, memory: { workingSetBytes: 0 }, containers: [{ name: 'a', memory: { workingSetBytes: 9 } }, { name: 'b', memory: { workingSetBytes: 1 } }] })).toBe(10);
    expect(podWorkingSet({ podRef: ref })).toBeNull();
  });

  it('dates a pod\'s stats by its oldest figure, and lists system containers', () => {
    const ref = { name: 'p', namespace: 'n', uid: 'u' };
    expect(podStatsTime({ podRef: ref, memory: { time: '2026-11-29T00:00:10Z' }, containers: [{ name: 'a', memory: { time: '2026-11-29T00:00:05Z' } }] })).toBe(Date.parse('2026-11-29T00:00:05Z'));
    expect(oldestNodeStats({ node: { memory: { time: '2026-11-29T00:00:09Z' }, systemContainers: [{ name: 'runtime', memory: { time: '2026-11-29T00:00:03Z' } }, { name: 'misc' }] } })).toBe('2026-11-29T00:00:03Z');
    expect(oldestNodeStats({ node: {} })).toBeUndefined();
    expect(systemContainerWorkingSets({ node: { systemContainers: [{ name: 'kubelet', memory: { workingSetBytes: 7 } }, { name: 'misc' }] } })).toEqual({ kubelet: 7 });
  });
});
