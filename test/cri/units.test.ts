/** CRI layer pieces that need no daemon: proto, config parsing, pod configs, memory parsing, guards, bad input. */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRI_PROTO, CriClient } from '../../src/targets/cri/client.js';
import { tsDelta } from '../../src/targets/cri/cold-start.js';
import { guardReason } from '../../suites/density/ramp.js';
import { workloadImageName } from '../../src/targets/cri/image.js';
import { parseSmapsRollup } from '../../src/host/procfs.js';
import { RUN_LABEL, WASM_POD_ANNOTATIONS, containerConfig, podCgroupParent, sandboxConfig } from '../../src/targets/cri/pod.js';
import { annotationPatternMatches, describeHandler, handlerProblem, parseCriConfig, shimBinaryName, type CriRuntimeInfo } from '../../src/targets/cri/runtime.js';
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
    expect(info.handlers['crun']).toEqual({ runtimeType: 'io.containerd.runc.v2', binaryName: '/usr/bin/crun', podAnnotations: [], containerAnnotations: [] });
    expect(info.defaultHandler).toBe('runc');
  });

  it('tells an absent runtime (not measured) from a misconfigured handler (bad input)', () => {
    const crun = CRI_RUNTIMES.find((r) => r.runtime === 'crun')!;
    expect(handlerProblem(crun, info, true)).toBeNull();
    expect(handlerProblem(crun, { ...info, handlers: { runc: info.handlers['runc']! } }, false)).toEqual({ kind: 'absent', reason: 'crun not on PATH, and containerd has no runtime handler "crun" (has: runc)' });
    expect(handlerProblem(crun, { ...info, handlers: { runc: info.handlers['runc']! } }, true)?.kind).toBe('misconfigured');
  });

  it('wasmedge: the handler itself is the requirement, and its runc v2 shim must pass the Wasm annotation', () => {
    const wasmedge = CRI_RUNTIMES.find((r) => r.runtime === 'wasmedge')!;
    expect(wasmedge.requires).toBeNull();
    expect(wasmedge.annotations).toEqual({ 'module.wasm.image/variant': 'compat-smart' });
    // No handler: not measured, whatever is on PATH.
    for (const onPath of [false, true]) expect(handlerProblem(wasmedge, info, onPath)).toEqual({ kind: 'absent', reason: 'containerd has no runtime handler "wasmedge" (has: runc, crun)' });
    const withHandler = (h: object): CriRuntimeInfo => ({ ...info, ...parseCriConfig(JSON.stringify({ containerd: { runtimes: { wasmedge: h } } })) });
    const crunBacked = { runtimeType: 'io.containerd.runc.v2', options: { BinaryName: '/c/bin/crun-wasmedge' } };
    // crun behind the runc shim without pod_annotations would never see module.wasm.image/variant: bad config, exit 2.
    const bad = handlerProblem(wasmedge, withHandler(crunBacked), false);
    expect(bad?.kind).toBe('misconfigured');
    expect(bad?.reason).toMatch(/does not pass annotation module\.wasm\.image\/variant .*pod_annotations = \["module\.wasm\.image\/\*"\]/);
    expect(handlerProblem(wasmedge, withHandler({ ...crunBacked, PodAnnotations: ['module.wasm.image/*'] }), false)).toBeNull();
    expect(handlerProblem(wasmedge, withHandler({ ...crunBacked, ContainerAnnotations: ['module.wasm.image/variant'] }), false)).toBeNull();
    expect(handlerProblem(wasmedge, withHandler({ ...crunBacked, PodAnnotations: ['io.kubernetes.cri.*'] }), false)?.kind).toBe('misconfigured');
    // runwasi's shim reads no annotation: fine as it is.
    expect(handlerProblem(wasmedge, withHandler({ runtimeType: 'io.containerd.wasmedge.v1' }), false)).toBeNull();
  });

  it('matches annotation patterns as containerd does (filepath.Match) and names shims after their runtime type', () => {
    expect(annotationPatternMatches('module.wasm.image/*', 'module.wasm.image/variant')).toBe(true);
    expect(annotationPatternMatches('module.wasm.image/*', 'moduleXwasm.image/variant')).toBe(false);
    expect(annotationPatternMatches('module.wasm.image/*', 'module.wasm.image/a/b')).toBe(false);
    expect(annotationPatternMatches('*', 'module.wasm.image/variant')).toBe(false);
    expect(annotationPatternMatches('module.wasm.image/varian?', 'module.wasm.image/variant')).toBe(true);
    expect(shimBinaryName('io.containerd.runc.v2')).toBe('containerd-shim-runc-v2');
    expect(shimBinaryName('io.containerd.wasmedge.v1')).toBe('containerd-shim-wasmedge-v1');
    expect(shimBinaryName('')).toBeNull();
  });

  it('records what backs a handler: the crun+WasmEdge build from its record and the WasmEdge build it loads', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'eb-cri-builds-'));
    try {
      const put = (path: string, text: string, mode = 0o644): void => {
        mkdirSync(join(cache, path, '..'), { recursive: true });
        writeFileSync(join(cache, path), text);
        chmodSync(join(cache, path), mode);
      };
      put('wasmedge-0.14.1-interp/build.json', JSON.stringify({ name: 'wasmedge-0.14.1-interp', runtime: 'wasmedge', version: '0.14.1', variant: 'interpreter', reportedVersion: '0.14.1', binary: 'bin/wasmedge', aot: false, compiler: { cc: 'cc 12' } }));
      put('wasmedge-0.14.1-interp/bin/wasmedge', '#!/bin/sh\necho "wasmedge version 0.14.1"\n', 0o755);
      put('wasmedge-0.14.1-interp/lib/libwasmedge.so.0', 'not really a library');
      put('crun-1.8.1-wasmedge/build.json', JSON.stringify({ name: 'crun-1.8.1-wasmedge', runtime: 'crun', version: '1.8.1', variant: 'wasmedge', reportedVersion: '1.8.1', binary: 'bin/crun', wasmedge: { name: 'wasmedge-0.14.1-interp' }, compiler: { cc: 'cc 12' } }));
      put('crun-1.8.1-wasmedge/bin/crun', '#!/bin/sh\necho "crun version 1.8.1"\necho "+SYSTEMD +WASM:wasmedge"\n', 0o755);
      put('crun-1.8.1-wasmedge/bin/crun-wasmedge', '#!/bin/sh\nexec "$(dirname "$0")/crun" "$@"\n', 0o755);
      const wrapper = join(cache, 'crun-1.8.1-wasmedge/bin/crun-wasmedge');
      const cfg = { containerd: { runtimes: { wasmedge: { runtimeType: 'io.containerd.runc.v2', options: { BinaryName: wrapper }, PodAnnotations: ['module.wasm.image/*'] } } } };
      const d = await describeHandler({ ...info, ...parseCriConfig(JSON.stringify(cfg)) }, 'wasmedge');
      expect(d.note).toMatch(new RegExp(`^handler "wasmedge": runtimeType io\\.containerd\\.runc\\.v2; BinaryName ${wrapper}; build crun-1\\.8\\.1-wasmedge \\(crun 1\\.8\\.1, wasmedge; record ${cache}/crun-1\\.8\\.1-wasmedge/build\\.json\\); WasmEdge build wasmedge-0\\.14\\.1-interp \\(0\\.14\\.1, interpreter\\)`));
      expect(d.note).toMatch(/pod annotations passed to the OCI spec: module\.wasm\.image\/\*$/);
      const byName = Object.fromEntries(d.tools.map((t) => [t.name, t]));
      expect(byName['crun-wasmedge']?.path).toBe(wrapper);
      expect(byName['crun']?.path).toBe(join(cache, 'crun-1.8.1-wasmedge/bin/crun'));
      expect(byName['crun']?.build?.notes).toMatch(/build crun-1\.8\.1-wasmedge .*compiled against wasmedge-0\.14\.1-interp/);
      expect(byName['libwasmedge']).toMatchObject({ version: '0.14.1', path: join(cache, 'wasmedge-0.14.1-interp/lib/libwasmedge.so.0'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      // A handler without a build behind it: just its binary.
      const plain = await describeHandler(info, 'runc');
      expect(plain.note).toMatch(/^handler "runc": runtimeType io\.containerd\.runc\.v2; BinaryName \/usr\/sbin\/runc/);
      expect(plain.tools.map((t) => t.name)).not.toContain('libwasmedge');
      expect((await describeHandler(info, 'wasmedge')).note).toBe('handler "wasmedge": not configured in containerd 1.6.20');
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
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
    expect(sb.annotations).toEqual({});
  });

  it('carry the runtime’s annotations on the sandbox and on the container', () => {
    expect(sandboxConfig('r', 1, 'host', WASM_POD_ANNOTATIONS).annotations).toEqual({ 'module.wasm.image/variant': 'compat-smart' });
    expect(containerConfig('r', 'img', [], WASM_POD_ANNOTATIONS).annotations).toEqual({ 'module.wasm.image/variant': 'compat-smart' });
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
