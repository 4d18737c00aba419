import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containersVsWasm, missingWasmLayers, type ComparedCell } from '../../src/compare/containers-vs-wasm.js';
import type { Result } from '../../src/result/types.js';
import { settings } from '../../src/cli/commands/run.js';
import { parseCycleLine } from '../../src/targets/oci/helper.js';
import { runtimeSpec } from '../../src/targets/oci/spec.js';
import { crunWasmEngine } from '../../src/targets/oci/wasm-detect.js';
import { densitySettings } from '../../suites/density/index.js';
import { UserError } from '../../src/util/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'eb-oci-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('runtime spec', () => {
  it('isolates the container and never sets oomScoreAdj', () => {
    const s = runtimeSpec({ args: ['/noop'], wasm: false, cgroupsPath: '/edgebench/l/x' });
    const linux = s['linux'] as { namespaces: { type: string }[]; cgroupsPath: string };
    expect(linux.namespaces.map((n) => n.type).sort()).toEqual(['ipc', 'mount', 'network', 'pid', 'uts']);
    expect(linux.cgroupsPath).toBe('/edgebench/l/x');
    expect(JSON.stringify(s)).not.toContain('oomScoreAdj');
    expect((s['root'] as { readonly: boolean }).readonly).toBe(true);
    expect(s['annotations']).toBeUndefined();
  });
  it('marks Wasm containers for crun\'s handler', () => {
    const s = runtimeSpec({ args: ['/module.wasm'], wasm: true });
    expect(s['annotations']).toEqual({ 'module.wasm.image/variant': 'compat-smart' });
  });
});

describe('eb-oci cycle lines', () => {
  it('sums create + start + run into wall and keeps the phases', () => {
    const s = parseCycleLine('3 m 1000 2000 3000 400 exit 0 512', '/nonexistent');
    expect(s).toEqual({ index: 3, warmup: false, ok: true, values: { create: 1000, start: 2000, run: 3000, wall: 6000, delete: 400, peak_rss: 512 * 1024 } });
  });
  it('a failed create carries what the runtime logged', () => {
    const log = join(tmp, 'rt.log');
    writeFileSync(log, 'first\n{"msg":"cgroups in hybrid mode not supported","level":"error"}\n');
    const s = parseCycleLine('0 w 900 0 0 0 createfail 1 0', log);
    expect(s?.ok).toBe(false);
    expect(s?.warmup).toBe(true);
    expect(s?.error).toBe('create failed (runtime exit 1): cgroups in hybrid mode not supported');
    expect(s?.values['wall']).toBeUndefined();
  });
  it('a non-zero exit is a failed sample that still has its timing', () => {
    const s = parseCycleLine('1 m 10 20 30 40 exit 3 100', '/nonexistent');
    expect(s?.ok).toBe(false);
    expect(s?.error).toBe('exit code 3');
    expect(s?.values['wall']).toBe(60);
  });
});

describe('Wasm capability detection', () => {
  it('reads +WASM:<engine> from crun --version', async () => {
    const fake = join(tmp, 'crun-fake');
    writeFileSync(fake, '#!/bin/sh\necho "crun version 1.14"\necho "+SYSTEMD +CAP +WASM:wasmedge +YAJL"\n');
    chmodSync(fake, 0o755);
    expect((await crunWasmEngine(fake)).engine).toBe('wasmedge');
    const plain = join(tmp, 'crun-plain');
    writeFileSync(plain, '#!/bin/sh\necho "crun version 1.8.1"\necho "+SYSTEMD +SELINUX +CAP +YAJL"\n');
    chmodSync(plain, 0o755);
    expect((await crunWasmEngine(plain)).engine).toBeNull();
  });
});

/** A minimal ok cold-start result for comparisons. */
function result(layer: Result['layer'], runtime: string, kind: 'wasm' | 'native', status: Result['status'] = 'ok', reason?: string): Result {
  const r = {
    schema: 'edgebench/result', schemaVersion: 2, runId: 'r', startedAt: '', endedAt: '', harness: { name: 'edgebench', version: '0', gitCommit: null },
    environment: { host: {} as Result['environment']['host'], tools: [] }, suite: 'cold-start', layer, runtime, target: { options: {}, simulated: false },
    workload: { name: 'noop', kind, path: '/x', sha256: '0', sizeBytes: 1, args: [] }, parameters: {}, status, counts: null, metrics: [], verdicts: [], rawSamples: null,
  } as Result;
  if (reason) r.reason = reason;
  return r;
}

describe('containers vs Wasm', () => {
  it('gives container median / Wasm median per Wasm layer with a CI that brackets it', () => {
    const wasm = Array.from({ length: 50 }, (_, i) => 1e6 + i * 1e3); // ~1 ms
    const crun = Array.from({ length: 50 }, (_, i) => 40e6 + i * 1e5); // ~40 ms
    const cells: ComparedCell[] = [
      { result: result('process', 'wasmedge', 'wasm'), values: wasm },
      { result: result('oci', 'crun', 'native'), values: crun },
      { result: result('process', 'native', 'native'), values: wasm }, // not a container: ignored
    ];
    const rows = containersVsWasm(cells);
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r.containerRuntime).toBe('crun');
    expect(r.wasmLayer).toBe('process');
    expect(r.estimate.ratio).toBeCloseTo((40e6 + 24.5e5) / (1e6 + 24.5e3), 1);
    expect(r.estimate.ci.low).toBeLessThanOrEqual(r.estimate.ratio);
    expect(r.estimate.ci.high).toBeGreaterThanOrEqual(r.estimate.ratio);
    expect(r.estimate.ci.high / r.estimate.ci.low).toBeLessThan(1.2);
  });
  it('pairs kube and cri pods only within their layer, oci containers with every layer', () => {
    const v = (m: number) => Array.from({ length: 30 }, (_, i) => m + i);
    const cells: ComparedCell[] = [
      { result: result('kube', 'wasmedge', 'wasm'), values: v(2e6) },
      { result: result('process', 'wasmedge', 'wasm'), values: v(1e6) },
      { result: result('kube', 'runc', 'native'), values: v(6e6) },
      { result: result('cri', 'runc', 'native'), values: v(5e6) },
      { result: result('oci', 'crun', 'native'), values: v(4e6) },
    ];
    const pairs = containersVsWasm(cells).map((r) => `${r.wasmLayer}/${r.wasmRuntime} vs ${r.containerLayer}/${r.containerRuntime}`);
    expect(pairs).toEqual(['kube/wasmedge vs kube/runc', 'kube/wasmedge vs oci/crun', 'process/wasmedge vs oci/crun']);
    const kube = containersVsWasm(cells).find((r) => r.containerLayer === 'kube')!;
    expect(kube.estimate.ratio).toBeCloseTo((6e6 + 14.5) / (2e6 + 14.5), 3);
  });
  it('names layers without a Wasm run and why', () => {
    const rs = [result('oci', 'crun', 'native'), result('oci', 'crun-wasm', 'wasm', 'not-measured', 'crun here is built without Wasm support')];
    expect(missingWasmLayers(rs, ['oci'])).toEqual([{ layer: 'oci', reasons: ['crun-wasm: crun here is built without Wasm support'] }]);
  });
});

describe('suite settings', () => {
  it('parses --set pairs and range-checks density settings', () => {
    expect(settings(['target=20', 'step=5'])).toEqual({ target: '20', step: '5' });
    expect(() => settings(['target'])).toThrow(UserError);
    expect(densitySettings({ target: '20' })).toEqual({ target: 20, step: 1, floorGiB: 2 });
    expect(densitySettings({})).toEqual({ target: 3000, step: 100, floorGiB: 2 });
    expect(() => densitySettings({ target: 'abc' })).toThrow(/target=abc/);
    expect(() => densitySettings({ target: '10', step: '11' })).toThrow(UserError);
    expect(() => densitySettings({ targte: '10' })).toThrow(/not a density setting/);
  });
});
