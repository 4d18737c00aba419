/**
 * Stand-in runtimes for checking comparisons: two fake WasmEdge "builds" in a scratch runtime cache (point
 * EDGEBENCH_RUNTIME_CACHE at it), compiled here with cc. `wasmedge --version` answers; any other call burns a fixed
 * number of loop iterations (CPU-bound, so load on the machine slows it as it would a runtime), calibrated on this
 * machine. Used by bench/ab-noise.ts and the tests of `run --runtime A,B` verdicts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The scratch cache and the two builds' runtime names and quiet medians. */
export interface StandIns {
  dir: string;
  base: string;
  candidate: string;
  baseMs: number;
  candidateMs: number;
}

/** Writes, compiles and returns the path of a C program (cc -O2). */
export function compile(dir: string, name: string, source: string): string {
  mkdirSync(dir, { recursive: true });
  const c = join(dir, `${name}.c`);
  const out = join(dir, name);
  writeFileSync(c, source);
  const r = spawnSync('cc', ['-O2', '-o', out, c], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cc ${c} failed: ${r.stderr}`);
  return out;
}

/** A stand-in "wasmedge": answers --version, else burns `iterations` of a loop the compiler cannot remove. */
function standInSource(version: string, iterations: number): string {
  return `#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--version") == 0) { puts("wasmedge version ${version} (edgebench stand-in)"); return 0; }
  volatile unsigned long x = 0;
  for (unsigned long i = 0; i < ${iterations}UL; i++) x += i ^ (x >> 3);
  return 0;
}
`;
}

/** Median wall (ms) of `runs` spawns of `bin`. */
function medianMs(bin: string, runs: number): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(bin, ['x']);
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

/** A scratch runtime cache with two stand-in WasmEdge builds burning ~`ms` and ~`ms` × `factor` of CPU per start. */
export function standInCache(ms: number, factor = 1.1, versions: readonly [string, string] = ['0.0.20', '0.0.22']): StandIns {
  const dir = mkdtempSync(join(tmpdir(), 'eb-standin-'));
  const probe = compile(join(dir, 'probe'), 'burn', standInSource('0', 20_000_000));
  const per = medianMs(probe, 7) / 20_000_000;
  const iterations = Math.round(ms / per);
  const made = (version: string, iters: number): number => {
    const name = `wasmedge-${version}-interp`;
    const bin = compile(join(dir, name, 'bin'), 'wasmedge', standInSource(version, iters));
    writeFileSync(join(dir, name, 'build.json'), JSON.stringify({ schemaVersion: 1, name, runtime: 'wasmedge', version, variant: 'interpreter', reportedVersion: version, binary: 'bin/wasmedge', aot: false, linkedLibraries: ['libc.so.6'], compiler: { cc: 'cc (stand-in)' } }));
    return medianMs(bin, 7);
  };
  const baseMs = made(versions[0], iterations);
  const candidateMs = made(versions[1], Math.round(iterations * factor));
  return { dir, base: `wasmedge@${versions[0]}`, candidate: `wasmedge@${versions[1]}`, baseMs, candidateMs };
}

