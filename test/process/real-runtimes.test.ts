/**
 * The process layer on the real Wasm runtimes built by scripts/build-runtimes.sh: exact versions, hello's output
 * under the interpreter and after AOT compilation, starts measured through edgebench, traps counted as failures.
 * In CI (EDGEBENCH_REQUIRE_SYSTEM=1) the CI builds must be present; elsewhere the tests skip naming what is absent.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { listBuilds, type RuntimeBuild } from '../../src/env/runtime-builds.js';
import { runCell } from '../../src/run/cell.js';
import { getSuite } from '../../src/run/suite.js';
import { repoPath } from '../../src/util/paths.js';
import { runCli } from '../helpers/cli.js';
import { describeWith } from '../helpers/system.js';
import '../../suites/index.js';
import '../../src/targets/index.js';

/** The builds CI makes (scripts/build-runtimes.sh, group ci), each required here. */
const CI_BUILDS = ['wasmedge-0.14.1-interp', 'wasmedge-0.14.1-llvm', 'wamr-2.4.5'];
const builds = listBuilds();
const missing = CI_BUILDS.filter((n) => !builds.some((b) => b.name === n));
const HELLO = repoPath('wasm-fixtures', 'wasm', 'hello.wasm');
const wasmedges = builds.filter((b) => b.runtime === 'wasmedge');

/** A cold-start cell at the process layer. */
async function cell(runtime: string, fixture: string, samples: number, targetOptions?: Record<string, string>) {
  const out = mkdtempSync(join(tmpdir(), 'eb-real-'));
  return runCell({
    suite: getSuite('cold-start')!,
    layer: 'process',
    runtime,
    workload: fixture,
    args: [],
    runId: 'real-runtimes',
    outDir: out,
    signal: new AbortController().signal,
    params: { samples, warmup: 1, maxFailureRatio: 0.1, seed: 1, extra: {} },
    ...(targetOptions ? { targetOptions } : {}),
  });
}

describeWith(
  'real Wasm runtimes at the process layer',
  () => (missing.length ? `runtime builds ${missing.join(', ')} (bash scripts/build-runtimes.sh build ci)` : null),
  () => {
    it.each(wasmedges.map((b) => [b.name, b] as [string, RuntimeBuild]))("%s reports exactly its version, and prints hello's greeting", async (_n, b) => {
      // WasmEdge prints its argv[0] before the version: "<path> version 0.14.1", then its built-in plugins.
      const v = await execa(b.binary, ['--version']);
      expect(v.stdout.split('\n')[0]).toBe(`${b.binary} version ${b.version}`);
      const r = await execa(b.binary, ['--force-interpreter', HELLO]);
      expect(r.stdout.trim()).toBe('hello from edgebench');
    });

    it.each(wasmedges.filter((b) => b.variant === 'llvm').map((b) => [b.name, b] as [string, RuntimeBuild]))(
      '%s compiles hello ahead of time and the compiled module prints the greeting',
      async (_n, b) => {
        const so = join(mkdtempSync(join(tmpdir(), 'eb-aot-')), 'hello.so');
        await execa(b.binary, ['compile', HELLO, so]);
        const r = await execa(b.binary, [so]);
        expect(r.stdout.trim()).toBe('hello from edgebench');
      },
    );

    it('iwasm 2.4.5 reports its version and prints the greeting', async () => {
      const b = builds.find((x) => x.name === 'wamr-2.4.5')!;
      expect((await execa(b.binary, ['--version'])).stdout.split('\n')[0]).toBe('iwasm 2.4.5');
      expect((await execa(b.binary, [HELLO])).stdout.trim()).toBe('hello from edgebench');
    });

    it('measures wasmedge@0.14.1 (interpreter build) and records the build it ran', async () => {
      const { result } = await cell('wasmedge@0.14.1', 'noop', 5);
      expect(result.status).toBe('ok');
      const tool = result.environment.tools[0]!;
      expect(tool.version).toBe(`${tool.path} version 0.14.1`);
      expect(tool.path).toBe(builds.find((b) => b.name === 'wasmedge-0.14.1-interp')!.binary);
      expect(tool.build?.aot).toBe(false);
      expect(tool.build?.notes).toContain('build wasmedge-0.14.1-interp (interpreter;');
      // The CLI binary is byte-identical across WasmEdge versions; the library it loads is recorded with its own sha256.
      const lib = result.environment.tools.find((t) => t.name === 'libwasmedge');
      const b = builds.find((x) => x.name === 'wasmedge-0.14.1-interp')!;
      expect(lib?.path).toBe(join(b.prefix, 'lib', 'libwasmedge.so.0'));
      expect(lib?.sha256).toBe(
        createHash('sha256')
          .update(readFileSync(join(b.prefix, 'lib', 'libwasmedge.so.0')))
          .digest('hex'),
      );
      const wall = result.metrics.find((m) => m.name === 'wall')!;
      expect(wall.summary.count).toBe(5);
      expect(wall.summary.p50).toBeGreaterThan(100_000); // a real process start: > 0.1 ms
    });

    it('wasmedge-aot@0.14.1 reports compile time as its own metric, not in the starts', async () => {
      const { result } = await cell('wasmedge-aot@0.14.1', 'hello', 4, { 'aot-compiles': '2' });
      expect(result.status).toBe('ok');
      expect(result.environment.tools[0]?.build?.aot).toBe(true);
      const compile = result.metrics.find((m) => m.name === 'aot_compile')!;
      expect(compile.summary.count).toBe(2);
      expect(compile.better).toBe('lower');
      expect(result.metrics.find((m) => m.name === 'wall')?.summary.count).toBe(4);
      expect(result.notes?.some((n) => /^aot: 2 compile\(s\) of hello/.test(n))).toBe(true);
    });

    it.each([['wasmedge@0.14.1'], ['iwasm@2.4.5'], ['wasmedge-aot@0.14.1']])(
      '%s: a trapping module is a failed sample, every time, and the run is invalid',
      async (runtime) => {
        const { result, path } = await cell(runtime, 'trap', 3, runtime.startsWith('wasmedge-aot') ? { 'aot-compiles': '1' } : undefined);
        expect(result.status).toBe('invalid');
        expect(result.counts).toMatchObject({ measured: 3, failed: 3 });
        const raw = readFileSync(join(path, '..', result.rawSamples!.path), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { type: string; ok?: boolean; error?: string });
        const measured = raw.filter((s) => s.type === 'sample');
        expect(measured.length).toBe(4);
        for (const s of measured) expect(s.ok === false && /^(exit code [1-9]|killed by signal)/.test(s.error ?? '')).toBe(true);
      },
    );

    it('an unknown version is exit 2, naming the builds present', async () => {
      const r = await runCli([
        'run',
        'cold-start',
        '--layer',
        'process',
        '--runtime',
        'wasmedge@0.9.9',
        '--fixture',
        'noop',
        '--samples',
        '2',
        '--out',
        mkdtempSync(join(tmpdir(), 'eb-real-')),
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('no wasmedge 0.9.9 (interpreter or llvm) build for wasmedge');
      expect(r.stderr).toContain('wasmedge 0.14.1/interpreter');
    });
  },
);
