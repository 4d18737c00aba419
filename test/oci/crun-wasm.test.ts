/**
 * crun+WasmEdge (scripts/build-runtimes.sh build crun-1.8.1-wasmedge): a Wasm container's stdout is seen, the
 * crun-wasm target measures Wasm cold starts on it and records which libwasmedge it loaded, a trap is a failed
 * sample, and nothing is left behind.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../src/core/metric.js';
import { listBuilds } from '../../src/env/runtime-builds.js';
import { resolveWorkload } from '../../src/fixtures/workload.js';
import { prepareRootfs, writeBundle } from '../../src/targets/oci/bundle.js';
import { scanLeftovers } from '../../src/targets/oci/cleanup.js';
import { ociHelperPath } from '../../src/targets/oci/helper.js';
import { knownLabels } from '../../src/targets/oci/label.js';
import { createTarget } from '../../src/targets/registry.js';
import { describeWith } from '../helpers/system.js';
import '../../src/targets/index.js';

const builds = listBuilds();
const crun = builds.find((b) => b.name === 'crun-1.8.1-wasmedge');
const wasmedge = builds.find((b) => b.name === crun?.wasmedgeBuild);
const never = new AbortController().signal;
const scratch = mkdtempSync(join(tmpdir(), 'eb-crun-wasm-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function requirement(): string | null {
  if (process.getuid?.() !== 0) return 'needs root';
  if (!crun) return 'the crun-1.8.1-wasmedge build (bash scripts/build-runtimes.sh build crun-1.8.1-wasmedge)';
  if (!wasmedge) return `the WasmEdge build crun was compiled against (${crun.wasmedgeBuild ?? '?'})`;
  return ociHelperPath() ? null : 'build/eb-oci not built (npm run build)';
}

describeWith('oci/crun-wasm on crun+WasmEdge', requirement, () => {
  it('reports +WASM:wasmedge and runs a Wasm bundle whose stdout is the fixture\'s greeting', () => {
    expect(spawnSync(crun!.binary, ['--version'], { encoding: 'utf8' }).stdout).toMatch(/\+WASM:wasmedge/);
    const prepared = prepareRootfs(resolveWorkload('hello', 'wasm'), join(scratch, 'hello'));
    const bundle = writeBundle(prepared, join(scratch, 'bundles'), 'hello');
    const root = join(scratch, 'state');
    const r = spawnSync(crun!.binary, ['--root', root, 'run', '--bundle', bundle, `eb-test-${process.pid}`], {
      encoding: 'utf8', timeout: 30_000, env: { ...process.env, LD_LIBRARY_PATH: join(wasmedge!.prefix, 'lib') },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('hello from edgebench');
  });

  it('measures Wasm cold starts through crun-wasm, recording crun and the libwasmedge it loaded', async () => {
    const before = new Set(knownLabels());
    const t = createTarget('oci', 'crun-wasm');
    const a = await t.probe();
    expect(a.available, JSON.stringify(a)).toBe(true);
    if (!a.available) return;
    expect(a.tools.map((x) => x.name)).toEqual(['crun', 'libwasmedge']);
    expect(a.tools[0]?.path).toBe(crun!.binary);
    expect(a.tools[1]).toMatchObject({ version: wasmedge!.reportedVersion, path: join(wasmedge!.prefix, 'lib', 'libwasmedge.so.0') });
    const got: Sample[] = [];
    await t.coldStart!({ workload: resolveWorkload('noop', 'wasm'), samples: 5, warmup: 1, onSample: (s) => got.push(s), signal: never });
    const measured = got.filter((s) => !s.warmup);
    expect(measured.length).toBe(5);
    for (const s of measured) {
      expect(s.ok, s.error).toBe(true);
      expect(s.values['wall']).toBeGreaterThan(s.values['create'] ?? Infinity);
    }
    const trap: Sample[] = [];
    await t.coldStart!({ workload: resolveWorkload('trap', 'wasm'), samples: 2, warmup: 0, onSample: (s) => trap.push(s), signal: never });
    expect(trap.map((s) => s.ok)).toEqual([false, false]);
    expect((await scanLeftovers()).filter((l) => !before.has(l.label))).toEqual([]);
  });

  it('crun-wasm@VERSION with a version not built is refused when the target is made', () => {
    expect(() => createTarget('oci', 'crun-wasm@0.9.9')).toThrow(/no wasmedge 0\.9\.9 \(interpreter or llvm\) build for crun-wasm .* builds present: wasmedge/);
  });
});
