/**
 * Noise-aware A/B, checked end to end through the CLI (`edgebench run` + `edgebench compare`) on this machine:
 *   (a) A/A: the native noop, base run quiet, candidate run with a busy loop holding one core: at most 1 of N flagged
 *       as a regression (the host-load rule makes such a pair inconclusive);
 *   (b) a CPU-bound stand-in runtime burning ~20 ms against one burning ~22 ms (+10 %), one run, cells interleaved
 *       round by round, quiet machine: at least N−1 of N flagged;
 *   (c) the same pair with a busy loop on one core through the whole run: at least 80 % of N flagged.
 * Beside each count, the reference: the pre-rounds method on the same data (one 95% bootstrap of the medians over
 * all samples, no rounds, no load rule, threshold 5%). The stand-ins are two fake WasmEdge "builds" in a scratch
 * runtime cache (EDGEBENCH_RUNTIME_CACHE), compiled here with cc: `wasmedge --version` answers, any other call burns a
 * fixed number of loop iterations, calibrated to ~20 ms on this machine.
 * Exit 0: every scenario met its target; 1: one missed; 3: not measured (no cc).
 *   node dist/bench/ab-noise.js [--scenario a,b,c] [--n 20] [--samples 100] [--rounds 10]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { quantileRatioCi } from '../src/core/bootstrap.js';
import { loadObservations } from '../src/result/load-observations.js';
import { which } from '../src/env/tools.js';
import { textTable } from '../src/output/format.js';
import { standInCache } from './stand-in.js';
import { EXIT_NOT_MEASURED, EXIT_NOT_MET } from './verdicts.js';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = resolve(here, '..', 'src', 'cli', 'main.js');

/** What one comparison said, through the CLI and by the reference method. */
interface Verdicts {
  gate: string;
  /** The pair's verdict: regression, improvement, no change, inconclusive. */
  pair: string;
  reference: 'regression' | 'improvement' | 'no change';
  ratio: number;
  load: string;
}

/** A scenario's tally. */
interface Tally {
  scenario: string;
  target: string;
  met: boolean;
  verdicts: Verdicts[];
  seconds: number;
}

/** Starts a busy loop on one core (a node process spinning), waiting a moment for it to run. */
async function busyLoop(): Promise<ChildProcess> {
  const p = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  return p;
}

/** `edgebench run cold-start …` into `out`; returns the run's folder. */
async function run(out: string, args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  const before = new Set(safeList(out));
  const r = await execa(process.execPath, [CLI, 'run', 'cold-start', '--quiet', '--out', out, ...args], { reject: false, env, stdin: 'ignore' });
  if (r.exitCode !== 0) throw new Error(`edgebench run ${args.join(' ')} exited ${r.exitCode}: ${String(r.stderr).slice(-400)}`);
  const made = safeList(out).filter((d) => !before.has(d));
  if (made.length !== 1) throw new Error(`expected one new run folder in ${out}, found ${made.length}`);
  return join(out, made[0] as string);
}

/** Folder names in `dir` ([] when absent). */
function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** `edgebench compare … --format json`: the gate's verdict and the wall ratio. */
async function compare(args: readonly string[], env: Record<string, string> = {}): Promise<{ gate: string; pair: string; ratio: number; load: string }> {
  const r = await execa(process.execPath, [CLI, 'compare', ...args, '--metric', 'wall', '--format', 'json'], { reject: false, env, stdin: 'ignore' });
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`edgebench compare exited ${r.exitCode}: ${String(r.stderr).slice(-400)}`);
  const j = JSON.parse(String(r.stdout)) as { gate: { verdict: string }; pairs: Array<{ verdict: string | null; load: string | null; metrics: Array<{ metric: string; ratio: number }> }> };
  const p = j.pairs[0];
  return { gate: j.gate.verdict, pair: p?.verdict ?? 'not compared', ratio: p?.metrics.find((m) => m.metric === 'wall')?.ratio ?? NaN, load: p?.load ?? '' };
}

/** The pre-rounds verdict on the same data: one bootstrap over all samples of the medians, threshold 5%. */
function reference(baseDir: string, candDir: string, baseRuntime: string | null, candRuntime: string | null): Verdicts['reference'] {
  const pick = (dir: string, rt: string | null): number[] => {
    const o = loadObservations([dir]).find((x) => x.result.status === 'ok' && (rt === null || x.result.runtime === rt));
    if (!o?.values['wall']) throw new Error(`no wall values in ${dir}${rt ? ` for ${rt}` : ''}`);
    return o.values['wall'];
  };
  const r = quantileRatioCi(pick(candDir, candRuntime), pick(baseDir, baseRuntime), 0.5, { seed: 1 });
  return r.ci.low > 1.05 ? 'regression' : r.ci.high < 1 / 1.05 ? 'improvement' : 'no change';
}

const { values } = parseArgs({ options: { scenario: { type: 'string', default: 'a,b,c' }, n: { type: 'string', default: '20' }, samples: { type: 'string', default: '100' }, rounds: { type: 'string', default: '10' } } });
const n = Number(values.n);
const samples = String(values.samples);
const rounds = String(values.rounds);
if (!which('cc')) {
  console.log('ab-noise: not measured: cc not found (apt-get install gcc)');
  process.exit(EXIT_NOT_MEASURED);
}
const out = mkdtempSync(join(tmpdir(), 'eb-ab-noise-'));
const tallies: Tally[] = [];
const scenarios = String(values.scenario).split(',');
const common = ['--fixture', 'noop', '--samples', samples, '--warmup', '10', '--rounds', rounds];

if (scenarios.includes('a')) {
  const t0 = Date.now();
  const verdicts: Verdicts[] = [];
  for (let i = 0; i < n; i++) {
    const base = await run(out, ['--runtime', 'native', ...common]);
    const busy = await busyLoop();
    let cand: string;
    try {
      cand = await run(out, ['--runtime', 'native', ...common]);
    } finally {
      busy.kill('SIGKILL');
    }
    const c = await compare([base, cand]);
    verdicts.push({ ...c, reference: reference(base, cand, null, null) });
    process.stderr.write(`(a) ${i + 1}/${n}: ${c.gate} (wall ${c.ratio.toFixed(3)}×; ${c.load})\n`);
  }
  const flagged = verdicts.filter((v) => v.gate === 'regression').length;
  tallies.push({ scenario: '(a) A/A native noop, busy loop on the candidate run', target: `≤ 1 of ${n} flagged`, met: flagged <= 1, verdicts, seconds: (Date.now() - t0) / 1000 });
}

if (scenarios.includes('b') || scenarios.includes('c')) {
  const s = standInCache(20);
  const env = { EDGEBENCH_RUNTIME_CACHE: s.dir };
  process.stderr.write(`stand-ins: ${s.base} ${s.baseMs.toFixed(1)} ms, ${s.candidate} ${s.candidateMs.toFixed(1)} ms (median of 7 spawns, quiet)\n`);
  for (const sc of ['b', 'c'].filter((x) => scenarios.includes(x))) {
    const t0 = Date.now();
    const verdicts: Verdicts[] = [];
    const busy = sc === 'c' ? await busyLoop() : null;
    try {
      for (let i = 0; i < n; i++) {
        const dir = await run(out, ['--runtime', `${s.base},${s.candidate}`, ...common], env);
        const c = await compare([dir, '--runtimes', `${s.base},${s.candidate}`], env);
        verdicts.push({ ...c, reference: reference(dir, dir, s.base, s.candidate) });
        process.stderr.write(`(${sc}) ${i + 1}/${n}: ${c.gate} (wall ${c.ratio.toFixed(3)}×; ${c.load})\n`);
      }
    } finally {
      busy?.kill('SIGKILL');
    }
    const flagged = verdicts.filter((v) => v.gate === 'regression').length;
    const need = sc === 'b' ? n - 1 : Math.ceil(n * 0.8);
    const what = sc === 'b' ? '(b) stand-in 20 ms vs 22 ms, quiet' : '(c) stand-in 20 ms vs 22 ms, busy loop on one core';
    tallies.push({ scenario: what, target: `≥ ${need} of ${n} flagged`, met: flagged >= need, verdicts, seconds: (Date.now() - t0) / 1000 });
  }
}

const count = (vs: readonly Verdicts[], f: (v: Verdicts) => boolean): string => String(vs.filter(f).length);
console.log(textTable(
  ['scenario', 'target', 'regression', 'inconclusive', 'no change', 'improvement', 'reference: flagged', 'median ratio', 'took', 'met'],
  tallies.map((t) => {
    const ratios = t.verdicts.map((v) => v.ratio).sort((a, b) => a - b);
    return [
      t.scenario, t.target,
      count(t.verdicts, (v) => v.gate === 'regression'), count(t.verdicts, (v) => v.pair === 'inconclusive'),
      count(t.verdicts, (v) => v.pair === 'no change'), count(t.verdicts, (v) => v.pair === 'improvement'),
      `${count(t.verdicts, (v) => v.reference === 'regression')} of ${t.verdicts.length}`,
      `${(ratios[Math.floor(ratios.length / 2)] ?? NaN).toFixed(3)}×`, `${t.seconds.toFixed(0)} s`, t.met ? 'yes' : 'NO',
    ];
  }),
));
console.log(`results kept in ${out}`);
process.exitCode = tallies.every((t) => t.met) ? 0 : EXIT_NOT_MET;
