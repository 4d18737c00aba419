/**
 * `wasmedge` (interpreter) and `wasmedge-aot` (after `wasmedge compile`). The same WasmEdge version
 * starts several times slower when built with LLVM (libLLVM is loaded at start), so the fingerprint
 * records the linked libraries and whether AOT is supported.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { BuildInfo, Workload } from '../../result/types.js';
import { repoPath } from '../../util/paths.js';
import { registerTarget } from '../registry.js';
import { commandRuntime } from './command-runtime.js';

const HOW = 'install WasmEdge (https://wasmedge.org/docs/start/install) or `edgebench provision`, then put `wasmedge` on PATH';

/** AOT support follows from libLLVM being linked (WasmEdge is built with or without LLVM). */
export function wasmedgeBuild(libs: string[]): Partial<BuildInfo> {
  const llvm = libs.some((l) => /libLLVM/i.test(l));
  return { aot: llvm, notes: llvm ? 'built with LLVM: AOT capable; libLLVM load adds start-up time' : 'built without LLVM: interpreter only' };
}

/** Compiles a module ahead of time into build/aot/<sha256>.so (universal wasm output), once per content. */
async function aotCompile(bin: string, w: Workload): Promise<string> {
  const dir = repoPath('build', 'aot');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${w.sha256}.so`);
  const r = await execa(bin, ['compile', w.path, out], { reject: false, stdin: 'ignore', all: true, timeout: 300_000 });
  if (r.exitCode !== 0) throw new Error(`wasmedge compile failed (${r.exitCode}): ${(r.all ?? '').trim().split('\n').pop()}`);
  return out;
}

registerTarget('process', 'wasmedge', (o) =>
  commandRuntime(
    {
      runtime: 'wasmedge',
      description: 'wasmedge CLI, interpreter (--force-interpreter)',
      accepts: ['wasm'],
      binary: 'wasmedge',
      howToGet: HOW,
      build: wasmedgeBuild,
      argv: (bin, w) => [bin, '--force-interpreter', w.path, ...w.args],
    },
    o,
  ),
);

registerTarget('process', 'wasmedge-aot', (o) =>
  commandRuntime(
    {
      runtime: 'wasmedge-aot',
      description: 'wasmedge CLI running a module compiled ahead of time by `wasmedge compile` (compile untimed)',
      accepts: ['wasm'],
      binary: 'wasmedge',
      howToGet: `${HOW}; AOT needs a WasmEdge built with LLVM`,
      build: wasmedgeBuild,
      prepare: aotCompile,
      argv: (bin, w, prepared) => [bin, prepared, ...w.args],
    },
    o,
  ),
);
