/**
 * `wasmedge` (interpreter) and `wasmedge-aot` (after `wasmedge compile`). The same WasmEdge version
 * starts several times slower when built with LLVM (libLLVM is loaded at start), so the fingerprint
 * records the linked libraries and whether AOT is supported.
 */
import { mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { CLIENT_MONOTONIC, deltaNs, nowNs, nsToNumber } from '../../core/clock.js';
import type { MetricSpec } from '../../core/metric.js';
import type { BuildInfo, Workload } from '../../result/types.js';
import { sha256File } from '../../util/hash.js';
import { repoPath } from '../../util/paths.js';
import { binOption, readOption, type OptionSpec } from '../options.js';
import { registerTarget } from '../registry.js';
import { commandRuntime, type Prepared } from './command-runtime.js';

const HOW = 'install WasmEdge (https://wasmedge.org/docs/start/install) or `edgebench provision`, then put `wasmedge` on PATH';

/** AOT support follows from libLLVM being linked (WasmEdge is built with or without LLVM). */
export function wasmedgeBuild(libs: string[]): Partial<BuildInfo> {
  const llvm = libs.some((l) => /libLLVM/i.test(l));
  return { aot: llvm, notes: llvm ? 'built with LLVM: AOT capable; libLLVM load adds start-up time' : 'built without LLVM: interpreter only' };
}

/** The AOT compile time: its own metric, never part of a start. */
export const AOT_COMPILE: MetricSpec = {
  name: 'aot_compile', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC,
  description: '`wasmedge compile MODULE OUT.so` as a whole process (spawn to exit), before the starts; n = --opt aot-compiles (default 3)',
};

/** How many times wasmedge-aot compiles a module (each timed). */
const AOT_COMPILES: OptionSpec = { key: 'aot-compiles', type: 'int', min: 1, max: 100, default: '3', help: 'times the module is compiled ahead of time, each timed (aot_compile metric)' };

/**
 * Compiles a module ahead of time `aot-compiles` times (each timed; the runtime's own binary hash is in the
 * output name, so two builds never share an output), keeping the last output for the starts.
 */
async function aotCompile(bin: string, w: Workload, options: Record<string, string>): Promise<Prepared> {
  const n = Number(readOption(AOT_COMPILES, options));
  const dir = repoPath('build', 'aot');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${(await sha256File(bin)).slice(0, 16)}-${w.sha256}.so`);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const tmp = `${out}.tmp-${process.pid}`;
    const t0 = nowNs();
    const r = await execa(bin, ['compile', w.path, tmp], { reject: false, stdin: 'ignore', all: true, timeout: 300_000 });
    const ns = nsToNumber(deltaNs(t0, nowNs()));
    if (r.exitCode !== 0) throw new Error(`wasmedge compile failed (${r.exitCode ?? r.signal}): ${(r.all ?? '').trim().split('\n').pop()}`);
    renameSync(tmp, out);
    times.push(ns);
  }
  return {
    path: out,
    metrics: [AOT_COMPILE],
    values: { aot_compile: times },
    notes: [`aot: ${n} compile(s) of ${w.name} → ${out} (${statSync(out).size} bytes); compile time is the aot_compile metric, not part of any start`],
  };
}

registerTarget('process', 'wasmedge', (o) =>
  commandRuntime(
    {
      runtime: 'wasmedge',
      description: 'wasmedge CLI, interpreter (--force-interpreter)',
      accepts: ['wasm'],
      wasmAbis: ['wasmedge-sockets'],
      binary: 'wasmedge',
      howToGet: HOW,
      build: wasmedgeBuild,
      cached: { runtime: 'wasmedge', variants: ['interpreter', 'llvm'] },
      argv: (bin, w) => [bin, '--force-interpreter', w.path, ...w.args],
    },
    o,
  ),
  { builds: 'a WasmEdge build; /llvm for the LLVM build in interpreter mode', options: [binOption('wasmedge', 'PATH, else the newest build')] },
);

registerTarget('process', 'wasmedge-aot', (o) =>
  commandRuntime(
    {
      runtime: 'wasmedge-aot',
      description: 'wasmedge CLI running a module compiled ahead of time by `wasmedge compile` (compile untimed)',
      accepts: ['wasm'],
      wasmAbis: ['wasmedge-sockets'],
      binary: 'wasmedge',
      howToGet: `${HOW}; AOT needs a WasmEdge built with LLVM`,
      build: wasmedgeBuild,
      cached: { runtime: 'wasmedge', variants: ['llvm'] },
      prepare: aotCompile,
      argv: (bin, w, prepared) => [bin, prepared, ...w.args],
    },
    o,
  ),
  { builds: 'a WasmEdge LLVM build', options: [binOption('wasmedge-aot', 'PATH, else the newest LLVM build'), AOT_COMPILES] },
);
