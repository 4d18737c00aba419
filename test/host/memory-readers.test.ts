/**
 * Unreadable memory is never 0 bytes: procfs/cgroupfs readers give null only for a file that does not exist (and
 * ESRCH for a process's files), throw with the file's name otherwise, and their callers turn an absent required
 * value into an error or leave the metric out, never into 0.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupMemoryBytes } from '../../src/host/cgroupfs.js';
import { HostReadError, hostMemory, procMemory, readOrNull } from '../../src/host/procfs.js';
import { measurePods } from '../../src/targets/cri/fleet.js';
import { podLocalMemory, readControlPlane, scanProcesses } from '../../src/kube/node-memory.js';
import { localPodValues } from '../../suites/memory/pod-memory.js';
import { snapshot } from '../../src/targets/oci/memory.js';

/** A fake /proc and cgroupfs (v1 memory hierarchy). */
function fakeHost(): {
  proc: string;
  cg: string;
  add: (pid: number, ppid: number, comm: string, o?: { cgroup?: string; pssKb?: number }) => void;
  cgroup: (path: string, bytes: number, pids: number[]) => void;
} {
  const root = mkdtempSync(join(tmpdir(), 'eb-host-'));
  const proc = join(root, 'proc');
  const cg = join(root, 'cgroup');
  mkdirSync(proc, { recursive: true });
  mkdirSync(join(cg, 'memory'), { recursive: true });
  writeFileSync(join(proc, 'meminfo'), 'MemTotal:       16000000 kB\nMemFree:  1 kB\nMemAvailable:   12000000 kB\n');
  const add = (pid: number, ppid: number, comm: string, o: { cgroup?: string; pssKb?: number } = {}): void => {
    const d = join(proc, String(pid));
    mkdirSync(join(d, 'fd'), { recursive: true });
    writeFileSync(join(d, 'comm'), `${comm}\n`);
    writeFileSync(join(d, 'stat'), `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1\n`);
    writeFileSync(join(d, 'cmdline'), `${comm}\0`);
    writeFileSync(join(d, 'cgroup'), `4:memory:${o.cgroup ?? '/'}\n1:name=systemd:/\n`);
    writeFileSync(join(d, 'smaps_rollup'), `00400000-7fff [rollup]\nRss:     ${(o.pssKb ?? 800) + 200} kB\nPss:     ${o.pssKb ?? 800} kB\n`);
  };
  const cgroup = (path: string, bytes: number, pids: number[]): void => {
    mkdirSync(join(cg, 'memory', path), { recursive: true });
    writeFileSync(join(cg, 'memory', path, 'memory.usage_in_bytes'), `${bytes}\n`);
    writeFileSync(join(cg, 'memory', path, 'cgroup.procs'), pids.map((p) => `${p}\n`).join(''));
  };
  return { proc, cg, add, cgroup };
}

/** Replaces a file with a directory of the same name: reading it fails with EISDIR (an unreadable file, as root can't get EACCES). */
function makeUnreadable(path: string): void {
  rmSync(path);
  mkdirSync(path);
}

const fsError = (code: string, text: string): Error => Object.assign(new Error(`${code}: ${text}, open '/x'`), { code });

describe('readOrNull: absent vs unreadable', () => {
  it('null only when the file does not exist; ESRCH counts as gone only for a process file', () => {
    const h = fakeHost();
    expect(readOrNull(join(h.proc, '999', 'smaps_rollup'))).toBeNull();
    const esrch = (): string => {
      throw fsError('ESRCH', 'no such process');
    };
    expect(readOrNull('/proc/123/smaps_rollup', esrch, true)).toBeNull();
    expect(() => readOrNull('/sys/fs/cgroup/x/memory.current', esrch)).toThrow('ESRCH reading /sys/fs/cgroup/x/memory.current: no such process');
  });

  it('EACCES is an error naming the file, not absence', () => {
    const eacces = (): string => {
      throw fsError('EACCES', 'permission denied');
    };
    expect(() => readOrNull('/proc/123/smaps_rollup', eacces, true)).toThrow(HostReadError);
    expect(() => readOrNull('/proc/123/smaps_rollup', eacces, true)).toThrow('EACCES reading /proc/123/smaps_rollup: permission denied');
  });

  it('a present file still parses', () => {
    const h = fakeHost();
    h.add(10, 1, 'serve', { pssKb: 300 });
    expect(procMemory(10, h.proc)).toEqual({ rss: 500 * 1024, pss: 300 * 1024 });
    expect(hostMemory(h.proc)).toEqual({ total: 16000000 * 1024, available: 12000000 * 1024, used: 4000000 * 1024 });
  });

  it('a process file that cannot be read (EISDIR here) throws with its path', () => {
    const h = fakeHost();
    h.add(10, 1, 'serve');
    makeUnreadable(join(h.proc, '10', 'smaps_rollup'));
    expect(() => procMemory(10, h.proc)).toThrow(`EISDIR reading ${join(h.proc, '10', 'smaps_rollup')}`);
  });

  it('a cgroup memory file that cannot be read throws; one that is gone is null', () => {
    const h = fakeHost();
    h.cgroup('c1', 4096, []);
    expect(cgroupMemoryBytes(join(h.cg, 'memory', 'c1'))).toBe(4096);
    expect(cgroupMemoryBytes(join(h.cg, 'memory', 'gone'))).toBeNull();
    makeUnreadable(join(h.cg, 'memory', 'c1', 'memory.usage_in_bytes'));
    expect(() => cgroupMemoryBytes(join(h.cg, 'memory', 'c1'))).toThrow(/^EISDIR reading .*memory\.usage_in_bytes/);
  });

  it('missing meminfo is an error, not NaN', () => {
    const h = fakeHost();
    rmSync(join(h.proc, 'meminfo'));
    expect(() => hostMemory(h.proc)).toThrow(/ENOENT reading .*meminfo/);
  });
});

describe('oci snapshot', () => {
  function two(): ReturnType<typeof fakeHost> {
    const h = fakeHost();
    h.add(500, 1, 'containerd-shim', { pssKb: 4000 });
    h.add(501, 500, 'serve', { cgroup: '/c1', pssKb: 100 });
    h.add(502, 500, 'serve', { cgroup: '/c2', pssKb: 200 });
    h.cgroup('c1', 1_000_000, [501]);
    h.cgroup('c2', 2_000_000, [502]);
    return h;
  }
  const handles = [{ id: 'c1', pid: 501 }, { id: 'c2', pid: 502 }];

  it('sums present values', () => {
    const h = two();
    const s = snapshot(handles, { proc: h.proc, cgroupRoot: h.cg });
    expect(s).toMatchObject({ containers: 2, cgroupBytes: 3_000_000, pssBytes: 300 * 1024, shimPssBytes: 4000 * 1024, processes: 3, shims: 1 });
  });

  it('a vanished container pid is an error, not PSS 0 and cgroup 0', () => {
    const h = two();
    rmSync(join(h.proc, '502'), { recursive: true });
    expect(() => snapshot(handles, { proc: h.proc, cgroupRoot: h.cg })).toThrow('pss of pid 502 (container c2) unreadable: process gone');
  });

  it('a vanished cgroup is an error', () => {
    const h = two();
    rmSync(join(h.cg, 'memory', 'c2'), { recursive: true });
    expect(() => snapshot(handles, { proc: h.proc, cgroupRoot: h.cg })).toThrow(/memory of cgroup .*c2 \(container c2\) unreadable: cgroup gone/);
  });

  it('a vanished shim is an error', () => {
    const h = two();
    rmSync(join(h.proc, '500', 'smaps_rollup'));
    expect(() => snapshot(handles, { proc: h.proc, cgroupRoot: h.cg })).toThrow('pss of shim pid 500 (container c1) unreadable: process gone');
  });

  it('an unreadable smaps_rollup is an error naming the file', () => {
    const h = two();
    makeUnreadable(join(h.proc, '501', 'smaps_rollup'));
    expect(() => snapshot(handles, { proc: h.proc, cgroupRoot: h.cg })).toThrow(`EISDIR reading ${join(h.proc, '501', 'smaps_rollup')}`);
  });
});

describe('cri density step (measurePods)', () => {
  function pod(): ReturnType<typeof fakeHost> {
    const h = fakeHost();
    h.add(700, 1, 'containerd-shim', { pssKb: 5000 });
    h.add(701, 700, 'pause', { pssKb: 100 });
    h.add(702, 700, 'serve', { pssKb: 300 });
    h.cgroup('k8s/pod1', 900_000, []);
    h.cgroup('k8s/pod1/sandbox', 100_000, [701]);
    h.cgroup('k8s/pod1/app', 800_000, [702]);
    return h;
  }
  const live = [{ cgroupParent: 'k8s/pod1', shimPid: 700 }];

  it('sums present values', () => {
    const h = pod();
    expect(measurePods(live, { proc: h.proc, cgroupRoot: h.cg })).toEqual({ cgroupBytes: 900_000, pssBytes: 400 * 1024, shimPssBytes: 5000 * 1024, processes: 3 });
  });

  it('a vanished pod process is an error, not PSS 0', () => {
    const h = pod();
    rmSync(join(h.proc, '702'), { recursive: true });
    expect(() => measurePods(live, { proc: h.proc, cgroupRoot: h.cg })).toThrow('pss of pid 702 (pod cgroup k8s/pod1) unreadable: process gone');
  });

  it('a vanished pod cgroup is an error, not cgroup 0', () => {
    const h = pod();
    rmSync(join(h.cg, 'memory', 'k8s'), { recursive: true });
    expect(() => measurePods(live, { proc: h.proc, cgroupRoot: h.cg })).toThrow('memory of pod cgroup k8s/pod1 unreadable: cgroup gone');
  });

  it('a vanished shim is an error', () => {
    const h = pod();
    rmSync(join(h.proc, '700'), { recursive: true });
    expect(() => measurePods(live, { proc: h.proc, cgroupRoot: h.cg })).toThrow('pss of shim pid 700 (pod cgroup k8s/pod1) unreadable: process gone');
  });

  it('an unreadable cgroup.procs is an error naming the file', () => {
    const h = pod();
    makeUnreadable(join(h.cg, 'memory', 'k8s/pod1/app/cgroup.procs'));
    expect(() => measurePods(live, { proc: h.proc, cgroupRoot: h.cg })).toThrow(/^EISDIR reading .*k8s\/pod1\/app\/cgroup\.procs/);
  });
});

describe('kube pod on the node (podLocalMemory, localPodValues, readControlPlane)', () => {
  const APP = 'e35d0250a94c';
  function pod(): ReturnType<typeof fakeHost> {
    const h = fakeHost();
    h.add(500, 1, 'containerd-shim', { pssKb: 4000 });
    h.add(501, 500, 'pause', { cgroup: '/k8s.io/sandbox1', pssKb: 100 });
    h.add(502, 500, 'serve', { cgroup: `/k8s.io/${APP}`, pssKb: 200 });
    h.cgroup('k8s.io/sandbox1', 100_000, [501]);
    h.cgroup(`k8s.io/${APP}`, 500_000, [502]);
    return h;
  }

  it('present values: pss_bytes = pod processes + shim', () => {
    const h = pod();
    const lm = podLocalMemory('uid-1', [APP], scanProcesses(h.proc, h.cg), h.cg);
    expect(lm).not.toBeNull();
    expect(localPodValues(lm!)).toEqual({ cgroup_bytes: 600_000, pss_bytes: 4300 * 1024, shim_pss_bytes: 4000 * 1024 });
  });

  it('a pod process gone after the scan leaves pss_bytes out, with the reason', () => {
    const h = pod();
    const scan = scanProcesses(h.proc, h.cg);
    rmSync(join(h.proc, '502'), { recursive: true });
    const lm = podLocalMemory('uid-1', [APP], scan, h.cg)!;
    expect(lm.pssBytes).toBeNull();
    expect(lm.unreadable).toEqual(['pss of pid 502 unreadable: process gone']);
    expect(localPodValues(lm)).not.toHaveProperty('pss_bytes');
  });

  it('a container cgroup gone after the scan leaves cgroup_bytes out', () => {
    const h = pod();
    const scan = scanProcesses(h.proc, h.cg);
    rmSync(join(h.cg, 'memory', 'k8s.io', APP), { recursive: true });
    const lm = podLocalMemory('uid-1', [APP], scan, h.cg)!;
    expect(lm.cgroupBytes).toBeNull();
    expect(lm.unreadable?.[0]).toMatch(/^memory of container cgroup .* unreadable: cgroup gone$/);
    expect(localPodValues(lm)).not.toHaveProperty('cgroup_bytes');
  });

  it('no shim found: pss_bytes is left out, not the pod processes alone', () => {
    const h = pod();
    const scan = scanProcesses(h.proc, h.cg);
    rmSync(join(h.proc, '500', 'smaps_rollup'));
    const lm = podLocalMemory('uid-1', [APP], scan, h.cg)!;
    expect(lm.shimPssBytes).toBeNull();
    expect(lm.unreadable).toEqual(['pss of shim pid 500 unreadable: process gone']);
    expect(localPodValues(lm)).toEqual({ cgroup_bytes: 600_000 });
  });

  it('an unreadable smaps_rollup throws with the file', () => {
    const h = pod();
    const scan = scanProcesses(h.proc, h.cg);
    makeUnreadable(join(h.proc, '501', 'smaps_rollup'));
    expect(() => podLocalMemory('uid-1', [APP], scan, h.cg)).toThrow(`EISDIR reading ${join(h.proc, '501', 'smaps_rollup')}`);
  });

  it('a control-plane process gone is listed, not silently left out of the sum', () => {
    const h = pod();
    h.add(100, 1, 'k3s-server', { pssKb: 9000 });
    const found = { distribution: 'k3s' as const, members: [{ component: 'k3s-server', pid: 100 }, { component: 'containerd', pid: 150 }], runtimeFoundBy: 'child process of k3s' };
    const cp = readControlPlane(found, h.proc);
    expect(cp.components.map((c) => c.pid)).toEqual([100]);
    expect(cp.gone).toEqual(['containerd (pid 150)']);
  });
});
