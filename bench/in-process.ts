/**
 * In-process costs with tinybench: node:wasi compile and instantiate per fixture (beside the
 * noop fixture as reference), and the cost of recording one sample (raw NDJSON append + keep)
 * beside a bare write(2) of the same line to /dev/null and beside the native noop start it records.
 *   node dist/bench/in-process.js
 */
import { closeSync, mkdtempSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import type { Sample } from '../src/core/metric.js';
import { summarize } from '../src/core/summary.js';
import { FIXTURES as ALL_FIXTURES, NATIVE_ONLY, WASM_NEEDS, fixturePath } from '../src/fixtures/workload.js';
import { formatNs, textTable } from '../src/output/format.js';
import { RawSampleWriter } from '../src/result/raw-samples.js';
import { launchRepeated } from '../src/targets/process/launcher.js';
import { withLoopHeld } from '../src/util/hold-loop.js';

const { WASI } = await import('node:wasi');
/** Fixtures that have a Wasm build. */
// node:wasi provides WASI preview 1 only: fixtures whose Wasm build needs more (http: WasmEdge's sockets) are left out.
const FIXTURES = ALL_FIXTURES.filter((f) => !NATIVE_ONLY.has(f) && WASM_NEEDS[f].length === 0);
const bench = new Bench({ time: 300, warmupTime: 50 });
const bytes = new Map(FIXTURES.map((f) => [f, readFileSync(fixturePath(f, 'wasm'))]));
const modules = new Map<string, WebAssembly.Module>();
await withLoopHeld(async () => {
  for (const [f, b] of bytes) modules.set(f, await WebAssembly.compile(b));
});
for (const [f, b] of bytes) bench.add(`compile ${f}.wasm (${b.length} B)`, async () => void (await WebAssembly.compile(b)));
for (const [f, m] of modules) {
  bench.add(`instantiate ${f}.wasm`, async () => {
    const wasi = new WASI({ version: 'preview1', args: [f], env: {}, returnOnExit: true });
    await WebAssembly.instantiate(m, wasi.getImportObject() as WebAssembly.Imports);
  });
}
const dir = mkdtempSync(join(tmpdir(), 'eb-bench-'));
const writer = new RawSampleWriter(join(dir, 'raw.ndjson'), { type: 'header', format: 'edgebench/raw-samples', version: 1, runId: 'bench', suite: 'bench', layer: 'process', runtime: 'native', workload: null, startedAt: new Date().toISOString() });
const kept: Sample[] = [];
let i = 0;
const sample = (): Sample => ({ index: i++, warmup: false, ok: true, values: { wall: 612345, peak_rss: 1_234_567, user_cpu: 150_000, sys_cpu: 20_000 } });
bench.add('record one sample (NDJSON append + keep)', () => {
  const s = sample();
  writer.append(s, 123456789);
  kept.push(s);
});
const devnull = openSync('/dev/null', 'w');
const line = JSON.stringify({ type: 'sample', tNs: 123456789, ...sample() }) + '\n';
bench.add('reference: write(2) of the same line to /dev/null', () => void writeSync(devnull, line));
// Progress on stderr, so that a run that stalls shows where (the smoke test prints stderr on failure).
const t0 = performance.now();
const progress = (what: string): void => void process.stderr.write(`# ${(performance.now() - t0).toFixed(0)} ms: ${what}\n`);
bench.addEventListener('cycle', (e) => progress(`done ${e.task?.name ?? '?'} (${e.task?.runs ?? 0} runs)`));
await withLoopHeld(() => bench.run());
writer.close();
closeSync(devnull);

const ns = (name: string): number => (bench.getTask(name)?.result as { latency?: { p50: number } } | undefined)?.latency?.p50 ?? Number.NaN;
const rows: string[][] = [];
for (const f of FIXTURES) {
  rows.push([`compile ${f}.wasm`, formatNs(ns(`compile ${f}.wasm (${bytes.get(f)?.length} B)`) * 1e6), (ns(`compile ${f}.wasm (${bytes.get(f)?.length} B)`) / ns(`compile noop.wasm (${bytes.get('noop')?.length} B)`)).toFixed(2) + '× noop']);
}
for (const f of FIXTURES) rows.push([`instantiate ${f}.wasm`, formatNs(ns(`instantiate ${f}.wasm`) * 1e6), (ns(`instantiate ${f}.wasm`) / ns('instantiate noop.wasm')).toFixed(2) + '× noop']);
const rec = ns('record one sample (NDJSON append + keep)') * 1e6;
const ref = ns('reference: write(2) of the same line to /dev/null') * 1e6;
const starts: Sample[] = [];
await launchRepeated({ argv: [fixturePath('noop', 'native')], samples: 200, warmup: 20, onSample: (s) => starts.push(s), signal: new AbortController().signal });
progress(`done ${starts.length} native noop starts`);
const noop = summarize(starts.filter((s) => !s.warmup).map((s) => s.values['wall'] ?? 0)).p50;
rows.push(['record one sample', formatNs(rec), `${(rec / ref).toFixed(2)}× a bare write(2); ${((rec / noop) * 100).toFixed(2)}% of a native noop start (${formatNs(noop)})`]);
rows.push(['reference: write(2) to /dev/null', formatNs(ref), '1.00×']);
console.log('in-process costs (tinybench p50):');
console.log(textTable(['task', 'p50', 'beside the reference'], rows));
