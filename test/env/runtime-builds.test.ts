/** Runtime builds: found from their records, chosen by version (NAME@VERSION[/VARIANT]), refused by name when absent. */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBuild, listBuilds, newestBuild, parseRuntimeSpec } from '../../src/env/runtime-builds.js';
import { createTarget } from '../../src/targets/registry.js';
import '../../src/targets/index.js';

/** A fake build: record + an executable shell script standing in for the binary. */
function fakeBuild(cache: string, name: string, runtime: string, version: string, variant: string, binary: string, extra: Record<string, unknown> = {}): void {
  mkdirSync(join(cache, name, 'bin'), { recursive: true });
  const bin = join(cache, name, binary);
  writeFileSync(bin, `#!/bin/sh\necho "${runtime} version ${version}"\n`);
  chmodSync(bin, 0o755);
  writeFileSync(join(cache, name, 'build.json'), JSON.stringify({ schemaVersion: 1, name, runtime, version, variant, reportedVersion: version, binary, binarySha256: 'ab'.repeat(32), aot: variant === 'llvm', llvmVersion: variant === 'llvm' ? '16.0.6' : null, compiler: { cc: 'cc 12' }, buildSeconds: 1, linkedLibraries: variant === 'llvm' ? ['libLLVM-16.so.1'] : [], source: { sha256: 'cd'.repeat(32) }, ...extra }));
}

describe('runtime builds', () => {
  let cache: string;
  const saved = process.env['EDGEBENCH_RUNTIME_CACHE'];
  beforeAll(() => {
    cache = mkdtempSync(join(tmpdir(), 'eb-builds-'));
    fakeBuild(cache, 'wasmedge-0.14.1-interp', 'wasmedge', '0.14.1', 'interpreter', 'bin/wasmedge');
    fakeBuild(cache, 'wasmedge-0.14.1-llvm', 'wasmedge', '0.14.1', 'llvm', 'bin/wasmedge');
    fakeBuild(cache, 'wasmedge-0.15.1-interp', 'wasmedge', '0.15.1', 'interpreter', 'bin/wasmedge');
    fakeBuild(cache, 'wamr-2.4.5', 'iwasm', '2.4.5', 'fast-interp', 'bin/iwasm');
    mkdirSync(join(cache, 'wasmedge-0.15.1-llvm.tmp')); // a build in progress is not a build
    mkdirSync(join(cache, 'broken')); // no record
    process.env['EDGEBENCH_RUNTIME_CACHE'] = cache;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env['EDGEBENCH_RUNTIME_CACHE'];
    else process.env['EDGEBENCH_RUNTIME_CACHE'] = saved;
  });

  it('lists complete builds only, sorted', () => {
    expect(listBuilds(cache).map((b) => b.name)).toEqual(['wamr-2.4.5', 'wasmedge-0.14.1-interp', 'wasmedge-0.14.1-llvm', 'wasmedge-0.15.1-interp']);
  });

  it('parses NAME@VERSION[/VARIANT] and refuses malformed specs', () => {
    expect(parseRuntimeSpec('wasmedge')).toEqual({ base: 'wasmedge', version: null, variant: null });
    expect(parseRuntimeSpec('wasmedge@0.14.1/llvm')).toEqual({ base: 'wasmedge', version: '0.14.1', variant: 'llvm' });
    for (const bad of ['wasmedge@', '@0.14.1', 'wasmedge@0.14.1/', 'wasmedge@x', 'wasmedge@1/a/b']) expect(() => parseRuntimeSpec(bad), bad).toThrow(/expected NAME@VERSION/);
  });

  it('chooses the preferred variant, or the one named; unknown versions list the builds present', () => {
    expect(chooseBuild('wasmedge', '0.14.1', null, ['interpreter', 'llvm'], 'x', cache).name).toBe('wasmedge-0.14.1-interp');
    expect(chooseBuild('wasmedge', '0.14.1', 'llvm', ['interpreter', 'llvm'], 'x', cache).name).toBe('wasmedge-0.14.1-llvm');
    expect(() => chooseBuild('wasmedge', '0.15.1', null, ['llvm'], 'wasmedge-aot', cache)).toThrow(`no wasmedge 0.15.1 (llvm) build for wasmedge-aot in ${cache}; builds present: wasmedge 0.14.1/interpreter, wasmedge 0.14.1/llvm, wasmedge 0.15.1/interpreter`);
    expect(newestBuild('wasmedge', ['llvm', 'interpreter'], cache)?.name).toBe('wasmedge-0.14.1-llvm');
    expect(newestBuild('wasmedge', ['interpreter'], cache)?.name).toBe('wasmedge-0.15.1-interp');
  });

  it('targets take the build named by version; a version that is not built is refused when the target is made', async () => {
    const t = createTarget('process', 'wasmedge@0.15.1');
    const a = await t.probe();
    expect(a.available).toBe(true);
    if (!a.available) return;
    expect(a.tools[0]?.path).toBe(join(cache, 'wasmedge-0.15.1-interp', 'bin', 'wasmedge'));
    expect(a.tools[0]?.version).toBe('wasmedge version 0.15.1');
    expect(a.tools[0]?.build?.notes).toContain('build wasmedge-0.15.1-interp (interpreter;');
    expect(a.notes).toContain('binary: build wasmedge-0.15.1-interp, chosen by version');
    const aot = await createTarget('process', 'wasmedge-aot@0.14.1').probe();
    expect(aot.available && aot.tools[0]?.build?.aot).toBe(true);
    expect(() => createTarget('process', 'wasmedge@0.13.0')).toThrow('builds present: wasmedge 0.14.1/interpreter, wasmedge 0.14.1/llvm, wasmedge 0.15.1/interpreter');
    expect(() => createTarget('process', 'wasmedge-aot@0.14.1/interpreter')).toThrow('wasmedge-aot runs on llvm builds of wasmedge, not interpreter');
    expect(() => createTarget('process', 'native@1.0')).toThrow('process/native is not chosen by version');
    expect(() => createTarget('process', 'iwasm@2.4.5', { bin: '/bin/true' })).toThrow('name a build by version or a binary, not both');
  });
});
