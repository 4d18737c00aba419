/**
 * `node-wasi-inproc` (layer `embedded`): Node's WASI inside the harness process, with read, compile, instantiate and
 * _start timed apart. No process starts, so it is its own layer: never a process start, never in a process ratio.
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { CLIENT_MONOTONIC, deltaNs, nowNs, nsToNumber } from '../../core/clock.js';
import type { MetricSpec, Sample } from '../../core/metric.js';
import { fingerprintTool } from '../../env/tools.js';
import { withLoopHeld } from '../../util/hold-loop.js';
import { registerTarget } from '../registry.js';
import type { ColdStartRequest, Target } from '../target.js';

/** Phase metrics of an in-process start, all on the client monotonic clock. */
export const INPROC_METRICS: MetricSpec[] = [
  { name: 'wall', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'read + compile + instantiate + _start' },
  { name: 'read', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'readFileSync of the module (page cache warm after warm-up)' },
  { name: 'compile', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'WebAssembly.compile' },
  { name: 'instantiate', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'new WASI + WebAssembly.instantiate' },
  { name: 'start', unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description: 'wasi.start (_start until exit)' },
];

/** One in-process start; the module's stdio goes to /dev/null. */
export async function inprocStartOnce(path: string, args: readonly string[], devnull: number): Promise<{ exitCode: number; phases: Record<string, number> }> {
  // Loaded on use: importing node:wasi statically prints an experimental-feature warning at start-up.
  const { WASI } = await import('node:wasi');
  const t0 = nowNs();
  const bytes = readFileSync(path);
  const t1 = nowNs();
  const module = await WebAssembly.compile(bytes);
  const t2 = nowNs();
  const wasi = new WASI({ version: 'preview1', args: [path, ...args], env: {}, returnOnExit: true, stdin: devnull, stdout: devnull, stderr: devnull });
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject() as WebAssembly.Imports);
  const t3 = nowNs();
  const exitCode = wasi.start(instance);
  const t4 = nowNs();
  const n = (a: bigint, b: bigint): number => nsToNumber(deltaNs(a, b));
  return { exitCode, phases: { wall: n(t0, t4), read: n(t0, t1), compile: n(t1, t2), instantiate: n(t2, t3), start: n(t3, t4) } };
}

registerTarget('embedded', 'node-wasi-inproc', (): Target => ({
  layer: 'embedded',
  runtime: 'node-wasi-inproc',
  description: `node:wasi inside the harness process (${process.version}); phases timed separately`,
  accepts: ['wasm'],
  async probe() {
    return { available: true, tools: [await fingerprintTool('node', process.execPath)] };
  },
  async coldStart(req: ColdStartRequest): Promise<MetricSpec[]> {
    const devnull = openSync('/dev/null', 'r+');
    try {
      // Held for the whole run: awaiting V8's wasm promises with nothing else alive can deadlock Node (src/util/hold-loop.ts).
      await withLoopHeld(async () => {
        const total = req.warmup + req.samples;
        for (let i = 0; i < total && !req.signal.aborted; i++) {
          const s: Sample = { index: i, warmup: i < req.warmup, ok: false, values: {} };
          try {
            const r = await inprocStartOnce(req.workload.path, req.workload.args, devnull);
            s.values = r.phases;
            s.ok = r.exitCode === 0;
            if (!s.ok) s.error = `exit code ${r.exitCode}`;
          } catch (e) {
            s.error = e instanceof Error ? e.message : String(e);
          }
          req.onSample(s);
        }
      });
      return INPROC_METRICS;
    } finally {
      closeSync(devnull);
    }
  },
}));
