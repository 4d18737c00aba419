/**
 * Harness overhead against hyperfine: for the `noop` fixture, edgebench's median spawn→exit must be within
 * 10% (or 100 µs, whichever is larger) of `hyperfine -N`'s median for the same command, measured in the same
 * run. Rounds alternate (H, E, H, E, …) so drift hits both alike. `--runtime` picks the command: the native
 * noop (default), or a real WasmEdge build running noop.wasm in its interpreter (`wasmedge`, `wasmedge@0.14.1`).
 * Exit 0: met; 1: not met or a failed run; 3: not measured (hyperfine or the runtime not found).
 *   node dist/bench/harness-overhead.js [--runtime native|wasmedge[@VERSION[/VARIANT]]] [--runs 500] [--rounds 3]
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parseArgs } from 'node:util';
import type { Sample } from '../src/core/metric.js';
import { summarize } from '../src/core/summary.js';
import { which } from '../src/env/tools.js';
import { createTarget } from '../src/targets/registry.js';
import { UserError } from '../src/util/errors.js';
import '../src/targets/index.js';
import { fixturePath } from '../src/fixtures/workload.js';
import { formatNs, textTable } from '../src/output/format.js';
import { launchRepeated, launcherPath } from '../src/targets/process/launcher.js';
import { EXIT_NOT_MEASURED, EXIT_NOT_MET } from './verdicts.js';

/** hyperfine -N median (ns) over `runs` runs of `argv` (no shell: -N splits the command on spaces). */
async function hyperfineMedian(argv: readonly string[], runs: number, warmup: number): Promise<number> {
  const out = join(mkdtempSync(join(tmpdir(), 'eb-hf-')), 'h.json');
  await execa('hyperfine', ['-N', '--style', 'none', '--warmup', String(warmup), '--runs', String(runs), '--export-json', out, argv.join(' ')], { stdin: 'ignore' });
  const j = JSON.parse(readFileSync(out, 'utf8')) as { results: { median: number }[] };
  return (j.results[0]?.median ?? Number.NaN) * 1e9;
}

/** edgebench median (ns) through the process target's launcher. */
async function edgebenchMedian(argv: readonly string[], runs: number, warmup: number): Promise<number> {
  const cmd = argv.join(' ');
  const samples: Sample[] = [];
  await launchRepeated({ argv, samples: runs, warmup, onSample: (s) => samples.push(s), signal: new AbortController().signal });
  const measured = samples.filter((s) => !s.warmup);
  const bad = measured.find((s) => !s.ok || s.values['wall'] === undefined);
  // A failed or wall-less run is not a 0 ns one: the comparison is void.
  if (bad || !measured.length) throw new Error(`edgebench runs of ${cmd} failed: ${bad ? bad.error ?? 'no wall time recorded' : 'no sample'}`);
  return summarize(measured.map((s) => s.values['wall'] as number)).p50;
}

/** Whether edgebench's median is within the allowed distance of the reference. */
export function withinTarget(edgebench: number, reference: number): boolean {
  return Math.abs(edgebench - reference) <= Math.max(0.1 * reference, 100_000);
}

/** The command timed: the native noop, or a WasmEdge build's interpreter on noop.wasm; null (with why) when absent. */
async function commandFor(runtime: string): Promise<{ argv: string[]; label: string } | { absent: string }> {
  if (runtime === 'native') return { argv: [fixturePath('noop', 'native')], label: 'native noop' };
  if (!/^wasmedge(@|$)/.test(runtime)) throw new Error(`--runtime ${runtime}: expected native or wasmedge[@VERSION[/VARIANT]]`);
  let target;
  try {
    target = createTarget('process', runtime);
  } catch (e) {
    if (e instanceof UserError) return { absent: e.message };
    throw e;
  }
  const a = await target.probe();
  if (!a.available) return { absent: a.reason };
  const bin = a.tools[0]?.path as string;
  return { argv: [bin, '--force-interpreter', fixturePath('noop', 'wasm')], label: `${runtime} noop (${a.tools[0]?.version ?? '?'}, ${bin})` };
}

const { values } = parseArgs({ options: { runs: { type: 'string' }, rounds: { type: 'string' }, runtime: { type: 'string' } } });
const runs = Number(values.runs ?? 500);
const rounds = Number(values.rounds ?? 3);
if (!which('hyperfine')) {
  console.log('harness-overhead: not measured: hyperfine not found (on PATH; apt-get install hyperfine)');
  process.exit(EXIT_NOT_MEASURED);
}
const what = await commandFor(values.runtime ?? 'native');
if ('absent' in what) {
  console.log(`harness-overhead: not measured: ${values.runtime}: ${what.absent}`);
  process.exit(EXIT_NOT_MEASURED);
}
const cmd = what.argv;
console.log(`harness-overhead: ${what.label}, ${runs} runs × ${rounds} rounds; timer: ${launcherPath() ?? 'Node spawn fallback'}`);
const rows: string[][] = [];
const h: number[] = [];
const e: number[] = [];
for (let r = 0; r < rounds; r++) {
  h.push(await hyperfineMedian(cmd, runs, 20));
  e.push(await edgebenchMedian(cmd, runs, 20));
  rows.push([`round ${r + 1}`, formatNs(h[r] ?? 0), formatNs(e[r] ?? 0), ((e[r] ?? 0) / (h[r] ?? 1)).toFixed(3)]);
}
const hm = summarize(h).p50;
const em = summarize(e).p50;
rows.push(['median of rounds', formatNs(hm), formatNs(em), (em / hm).toFixed(3)]);
console.log(textTable(['', 'hyperfine -N median', 'edgebench median', 'ratio'], rows));
const ok = withinTarget(em, hm); // false for NaN medians
console.log(`target: |edgebench − hyperfine| ≤ max(10%, 100 µs) → ${ok ? 'met' : 'NOT met'} (difference ${formatNs(em - hm)})`);
process.exitCode = ok ? 0 : EXIT_NOT_MET;
