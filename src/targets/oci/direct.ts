/**
 * `crun`, `runc` (native containers) and `crun-wasm` (crun's Wasm handler): the harness writes bundles and drives
 * the runtime directly. crun-wasm runs on a crun with +WASM: the one on PATH when it has it, else the crun+WasmEdge
 * build of scripts/build-runtimes.sh; `crun-wasm@VERSION[/VARIANT]` names the WasmEdge build whose libwasmedge.so.0
 * crun loads (LD_LIBRARY_PATH), recorded in the result beside crun.
 */
import { env as environment } from '../../env/environment.js';
import { join } from 'node:path';
import { chooseBuild, compiledAgainst, libwasmedgeTool, newestBuild, type RuntimeBuild } from '../../env/runtime-builds.js';
import { fingerprintTool, which } from '../../env/tools.js';
import type { MetricSpec } from '../../core/metric.js';
import type { ToolFingerprint, Workload } from '../../result/types.js';
import { binOption } from '../options.js';
import { registerTarget } from '../registry.js';
import type { Availability, ColdStartRequest, Target } from '../target.js';
import type { FleetSession } from '../fleet.js';
import { prepareRootfs, writeBundle } from './bundle.js';
import { withNewLabel } from './cleanup.js';
import { helperClock, ociHelperPath, runCycle, ServeSession } from './helper.js';
import { CGROUP_PARENT } from './label.js';
import { openOciFleet } from './fleet.js';
import { crunWasmEngine } from './wasm-detect.js';

/** Metrics of one create → start → exit → delete cycle. */
export function cycleMetrics(clock: ReturnType<typeof helperClock>): MetricSpec[] {
  const rss = { source: 'kernel-rusage' as const, resolution: 1024, detail: 'wait4() rusage.ru_maxrss of the container init (KiB granularity)' };
  return [
    { name: 'wall', unit: 'ns', better: 'lower', clock, description: 'create + start + run to exit (delete excluded)' },
    { name: 'create', unit: 'ns', better: 'lower', clock, description: '`RUNTIME create` (namespaces, cgroup, mounts, init blocked before exec)' },
    { name: 'start', unit: 'ns', better: 'lower', clock, description: '`RUNTIME start` (releases the init to exec the workload)' },
    { name: 'run', unit: 'ns', better: 'lower', clock, description: 'from start returning to the container init exiting (wait4)' },
    { name: 'delete', unit: 'ns', better: 'lower', clock, description: '`RUNTIME delete` after exit' },
    { name: 'peak_rss', unit: 'bytes', better: 'lower', clock: rss, description: 'peak RSS of the container init' },
  ];
}

/** The WasmEdge build chosen by version for a Wasm container (null: crun's default library lookup). */
function chosenWasmedge(options: Record<string, string>, runtime: string): RuntimeBuild | null {
  const v = options['build-version'];
  return v ? chooseBuild('wasmedge', v, options['build-variant'] ?? null, ['interpreter', 'llvm'], runtime) : null;
}

/** The crun+WasmEdge build and the WasmEdge build it loads by default (the one it was compiled against). */
function crunBuild(): { crun: RuntimeBuild; wasmedge: RuntimeBuild | null } | null {
  const crun = newestBuild('crun', ['wasmedge']);
  if (!crun) return null;
  return { crun, wasmedge: compiledAgainst(crun) };
}

/** Builds a direct-runtime target. */
function directTarget(rt: 'crun' | 'runc', wasm: boolean, options: Record<string, string>): Target {
  const explicit = options['bin'] ?? environment.bin(rt);
  let binName = explicit ?? rt;
  let tool: ToolFingerprint | undefined;
  const name = wasm ? `${rt}-wasm` : rt;
  // Wasm: the WasmEdge build named by version (checked now, so an absent one fails before anything runs).
  let wasmedge = wasm ? chosenWasmedge(options, name) : null;
  let env: Record<string, string> | undefined;
  // The Wasm engine crun runs modules with, known after probe(): WasmEdge provides its socket ABI (the http fixture).
  let wasmEngine: string | null = null;
  const binaryPath = (): string => {
    const path = tool?.path ?? which(binName);
    if (!path) throw new Error(`${binName} not found on PATH`);
    return path;
  };
  const session = async <T>(fn: (label: string, dir: string, path: string) => Promise<T>): Promise<T> => {
    const path = binaryPath();
    return withNewLabel((label, dir) => fn(label, dir, path));
  };
  return {
    layer: 'oci',
    runtime: name,
    description: wasm
      ? `${rt} with its Wasm handler (annotation module.wasm.image/variant=compat-smart), bundle written by the harness`
      : `${rt} run directly on a bundle written by the harness (create → start → exit → delete)`,
    accepts: wasm ? ['wasm'] : ['native'],
    get wasmAbis() {
      return wasmEngine === 'wasmedge' ? (['wasmedge-sockets'] as const) : [];
    },
    async probe(): Promise<Availability> {
      let bin = which(binName);
      const notes: string[] = [];
      let engine: string | null = null;
      let flags = '';
      if (wasm && bin) ({ engine, flags } = await crunWasmEngine(bin));
      if (wasm && !engine && !explicit) {
        // No +WASM crun on PATH: the project's crun+WasmEdge build, if there is one.
        const cb = crunBuild();
        if (cb) {
          const onPath = bin ? `${bin} has no +WASM (${flags || 'no flags'}); ` : '';
          bin = cb.crun.binary;
          binName = bin;
          ({ engine, flags } = await crunWasmEngine(bin));
          wasmedge ??= cb.wasmedge;
          notes.push(`crun: ${onPath}using build ${cb.crun.name} (compiled against ${cb.crun.wasmedgeBuild ?? '?'})`);
        }
      }
      if (!bin)
        return {
          available: false,
          reason: `${binName} not found on PATH`,
          howToGet: wasm ? 'a crun built with WasmEdge: bash scripts/build-runtimes.sh build crun-1.8.1-wasmedge' : `apt-get install ${rt}`,
        };
      if (process.getuid?.() !== 0)
        return { available: false, reason: `${rt} containers need root here (rootless cgroups are not set up)`, howToGet: 'run as root' };
      if (!ociHelperPath())
        return { available: false, reason: 'build/eb-oci (the phase timer) is not built', howToGet: 'install a C compiler and run npm run build' };
      if (wasm && !engine)
        return {
          available: false,
          reason: `${rt} here is built without Wasm support (its --version flags: ${flags || 'none'}; no +WASM:<engine>)`,
          howToGet: 'a crun built with WasmEdge (bash scripts/build-runtimes.sh build crun-1.8.1-wasmedge, or ./configure --with-wasmedge)',
        };
      if (wasm && wasmedge && engine !== 'wasmedge')
        return {
          available: false,
          reason: `${bin} runs Wasm with ${engine}, not WasmEdge: a WasmEdge build cannot be chosen for it`,
          howToGet: 'a crun built --with-wasmedge',
        };
      wasmEngine = engine;
      tool = await fingerprintTool(rt, bin);
      const tools = [tool];
      if (wasmedge) {
        env = { LD_LIBRARY_PATH: [join(wasmedge.prefix, 'lib'), environment.ldLibraryPath()].filter(Boolean).join(':') };
        tools.push(await libwasmedgeTool(wasmedge));
        notes.push(`libwasmedge: build ${wasmedge.name} (${wasmedge.variant}), loaded through LD_LIBRARY_PATH=${join(wasmedge.prefix, 'lib')}`);
      } else if (wasm) notes.push(`libwasmedge: whatever ${bin} finds through the loader's default paths (not chosen; no build named)`);
      return notes.length ? { available: true, tools, notes } : { available: true, tools };
    },
    async coldStart(req: ColdStartRequest): Promise<MetricSpec[]> {
      return session(async (label, dir, path) => {
        const prepared = prepareRootfs(req.workload, dir);
        const bundle = writeBundle(prepared, join(dir, 'bundles'), 'cycle', `/${CGROUP_PARENT}/${label}/cycle`);
        const clock = await runCycle(
          { runtimePath: path, root: join(dir, `state-${rt}`), log: join(dir, 'runtime.log'), ...(env ? { env } : {}) },
          { bundle, idPrefix: `${label}-c`, samples: req.samples, warmup: req.warmup, onSample: req.onSample, signal: req.signal },
        );
        return cycleMetrics(clock);
      });
    },
    async fleet(workload: Workload): Promise<FleetSession> {
      const path = binaryPath();
      return openOciFleet(async (label, dir) => {
        const prepared = prepareRootfs(workload, dir);
        const s = new ServeSession({ runtimePath: path, root: join(dir, `state-${rt}`), log: join(dir, 'runtime.log'), ...(env ? { env } : {}) });
        const bundles = join(dir, 'bundles');
        return {
          get clock() {
            return s.clock;
          },
          async start(id) {
            const b = writeBundle(prepared, bundles, id, `/${CGROUP_PARENT}/${label}/${id}`);
            const r = await s.start(id, b);
            return r.ok
              ? { ok: true, startNs: (r.createNs ?? 0) + (r.startNs ?? 0), createNs: r.createNs ?? 0, pid: r.pid ?? 0 }
              : { ok: false, startNs: 0, error: r.error ?? 'failed' };
          },
          stopAll: () => s.quit(),
          notes: () => [
            ...(s.exitedEarly.length ? [`${s.exitedEarly.length} container(s) exited while the ramp ran (first: ${s.exitedEarly[0]})`] : []),
            `run label ${label}; start = create + start, timed by eb-oci`,
          ],
        };
      });
    },
  };
}

registerTarget('oci', 'crun', (o) => directTarget('crun', false, o), { options: [binOption('crun', 'PATH')] });
registerTarget('oci', 'runc', (o) => directTarget('runc', false, o), { options: [binOption('runc', 'PATH')] });
registerTarget('oci', 'crun-wasm', (o) => directTarget('crun', true, o), {
  builds: 'the WasmEdge build crun loads; /llvm for its LLVM build',
  options: [binOption('crun', 'PATH')],
});
