/** CRI layer pieces that need no daemon: proto, config parsing, pod configs, memory parsing, guards, bad input. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRI_PROTO, CriClient } from '../../src/targets/cri/client.js';
import { tsDelta } from '../../src/targets/cri/cold-start.js';
import { guardReason } from '../../src/targets/cri/density.js';
import { workloadImageName } from '../../src/targets/cri/image.js';
import { parseSmapsRollup } from '../../src/host/procfs.js';
import { RUN_LABEL, containerConfig, podCgroupParent, sandboxConfig } from '../../src/targets/cri/pod.js';
import { handlerProblem, parseCriConfig, type CriRuntimeInfo } from '../../src/targets/cri/runtime.js';
import { CRI_RUNTIMES } from '../../src/targets/cri/index.js';
import { DEFAULT_CRI_SOCKET, criSocketPath, requireSocket } from '../../src/targets/cri/socket.js';
import { UserError } from '../../src/util/errors.js';

describe('vendored CRI proto', () => {
  it('is runtime.v1 with the gogoproto options stripped and nothing else changed', () => {
    const text = readFileSync(CRI_PROTO, 'utf8');
    expect(text).toMatch(/^package runtime\.v1;$/m);
    expect(text).not.toMatch(/gogo/);
    expect(text).toMatch(/Licensed under the Apache License, Version 2\.0/);
    // Field numbers the client relies on (ContainerStatus timestamps are int64 ns).
    expect(text).toMatch(/int64 created_at = 4;\s*\n(?:\s*\/\/.*\n)*\s*int64 started_at = 5;/);
  });

  it('loads into a client exposing the RPCs edgebench calls', () => {
    const c = new CriClient('/nonexistent.sock');
    for (const m of ['RunPodSandbox', 'StopPodSandbox', 'RemovePodSandbox', 'CreateContainer', 'StartContainer', 'ContainerStatus', 'ListPodSandbox', 'Status']) {
      expect(typeof (c as unknown as { runtime: Record<string, unknown> }).runtime[m]).toBe('function');
    }
    c.close();
  });
});

describe('containerd CRI config', () => {
  const config = JSON.stringify({
    sandboxImage: 'edgebench.local/pause:serve',
    containerd: {
      defaultRuntimeName: 'runc',
      runtimes: { runc: { runtimeType: 'io.containerd.runc.v2', options: { BinaryName: '/usr/sbin/runc' } }, crun: { runtimeType: 'io.containerd.runc.v2', options: { BinaryName: '/usr/bin/crun' } } },
    },
  });
  const info: CriRuntimeInfo = { runtimeName: 'containerd', runtimeVersion: '1.6.20', apiVersion: 'v1', notReady: [], ...parseCriConfig(config) };

  it('reads handlers, binaries and the sandbox image', () => {
    expect(info.sandboxImage).toBe('edgebench.local/pause:serve');
    expect(info.handlers['crun']).toEqual({ runtimeType: 'io.containerd.runc.v2', binaryName: '/usr/bin/crun' });
    expect(info.defaultHandler).toBe('runc');
  });

  it('tells an absent runtime (not measured) from a misconfigured handler (bad input)', () => {
    const wasmedge = CRI_RUNTIMES.find((r) => r.runtime === 'wasmedge')!;
    const crun = CRI_RUNTIMES.find((r) => r.runtime === 'crun')!;
    expect(handlerProblem(crun, info, true)).toBeNull();
    expect(handlerProblem(wasmedge, info, false)?.kind).toBe('absent');
    expect(handlerProblem(wasmedge, info, false)?.reason).toMatch(/containerd-shim-wasmedge-v1 not on PATH.*has: runc, crun/);
    expect(handlerProblem(wasmedge, info, true)?.kind).toBe('misconfigured');
  });
});

describe('pod and container configs', () => {
  it('label every object with the run and give each pod its own cgroup parent', () => {
    const sb = sandboxConfig('20261128T2200Z-abc', 7, 'host');
    expect(sb.labels?.[RUN_LABEL]).toBe('20261128T2200Z-abc');
    expect(sb.metadata.name).toBe('eb-20261128t2200z-abc-7');
    expect(sb.linux?.cgroupParent).toBe(podCgroupParent('20261128T2200Z-abc', 'eb-20261128t2200z-abc-7'));
    expect(sb.linux?.securityContext?.namespaceOptions?.network).toBe('NODE');
    expect(sandboxConfig('r', 1, 'cni').linux?.securityContext?.namespaceOptions?.network).toBe('POD');
    expect(containerConfig('r', 'img', ['1']).labels?.[RUN_LABEL]).toBe('r');
  });

  it('name images after the fixture and kind', () => {
    expect(workloadImageName({ name: 'Noop', kind: 'native', path: '/x', sha256: 'a'.repeat(64), sizeBytes: 1, args: [] })).toBe('edgebench.local/noop-native');
  });
});

describe('timestamps and memory parsing', () => {
  it('takes ns deltas of int64 strings exactly and refuses unset or reversed pairs', () => {
    expect(tsDelta('1795904444336303774', '1795904444411889448')).toBe(75_585_674);
    expect(tsDelta('0', '5')).toBeNull();
    expect(tsDelta('10', '5')).toBeNull();
  });

  it('parses smaps_rollup in bytes', () => {
    const text = 'Rss:                3160 kB\nPss:                 813 kB\nPss_Anon:            500 kB\n';
    expect(parseSmapsRollup(text)).toEqual({ rss: 3160 * 1024, pss: 813 * 1024 });
    expect(parseSmapsRollup('nothing')).toBeNull();
  });

  it('guards stop on the memory floor and on task headroom', () => {
    expect(guardReason(2 ** 30, 1000, 2 ** 29, 100, 32768)).toMatch(/MemAvailable 512 MiB fell below the 1024 MiB floor/);
    expect(guardReason(2 ** 30, 1000, 2 ** 31, 32000, 32768)).toMatch(/task count 32000 came within 1000 of kernel.pid_max 32768/);
    expect(guardReason(2 ** 30, 1000, 2 ** 31, 100, 32768)).toBeNull();
  });
});

describe('CRI socket', () => {
  it('comes from the option, then $EDGEBENCH_CRI_SOCKET, then edgebench’s own', () => {
    expect(criSocketPath({ socket: 'unix:///a.sock' }, {})).toBe('/a.sock');
    expect(criSocketPath({}, { EDGEBENCH_CRI_SOCKET: '/b.sock' })).toBe('/b.sock');
    expect(criSocketPath({}, {})).toBe(DEFAULT_CRI_SOCKET);
  });

  it('missing or not a socket is a one-line UserError', async () => {
    expect(() => requireSocket('/nonexistent/cri.sock')).toThrow(UserError);
    expect(() => requireSocket('/nonexistent/cri.sock')).toThrow(/^no CRI socket at \/nonexistent\/cri\.sock \(/);
    expect(() => requireSocket('/etc/hostname')).toThrow(/is not a unix socket/);
    const dir = mkdtempSync(join(tmpdir(), 'eb-cri-sock-'));
    const server = createServer();
    await new Promise<void>((r) => server.listen(join(dir, 's.sock'), r));
    expect(() => requireSocket(join(dir, 's.sock'))).not.toThrow();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
