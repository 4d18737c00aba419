/** `containerd` (through ctr; runtime selectable, io.containerd.runc.v2 by default) and `containerd-<shim>` for runwasi Wasm shims. */
import { readOption } from '../options.js';
import { CONTAINERD_RUNTIME } from './options.js';
import { fingerprintTool, which } from '../../env/tools.js';
import { CLIENT_MONOTONIC } from '../../core/clock.js';
import type { MetricSpec } from '../../core/metric.js';
import type { Sample } from '../../core/metric.js';
import { buildImage } from '../../image/build.js';
import { CONTAINERD_NAMESPACE, CONTAINERD_SOCK, containerdUnavailable, loadIntoContainerd } from '../../image/load.js';
import type { ToolFingerprint, Workload } from '../../result/types.js';
import { join } from 'node:path';
import { registerTarget } from '../registry.js';
import type { Availability, ColdStartRequest, Target } from '../target.js';
import type { FleetSession } from '../fleet.js';
import { withNewLabel } from './cleanup.js';
import { cliCycleMetrics, said, timed } from './cli.js';
import { LABEL_KEY } from './label.js';
import { CLI_CLOCK, openOciFleet } from './fleet.js';
import { WASM_SHIMS } from './wasm-detect.js';

const CTR_CLOCK = { ...CLIENT_MONOTONIC, detail: "process.hrtime.bigint around each ctr invocation (includes ctr's own start, ~10 ms)" };

/** Metrics of one ctr create → start(wait) → rm cycle. */
function ctrMetrics(): MetricSpec[] {
  return cliCycleMetrics(CTR_CLOCK, {
    wall: '`ctr containers create` + `ctr tasks start` (task create, start, wait for exit, task delete)',
    create: '`ctr containers create` (snapshot prepared, container record)',
    start: '`ctr tasks start`: shim start, task create/start, wait for exit, task delete',
    delete: '`ctr containers rm`',
  });
}

/** Builds a containerd target; `shim` null means the runc v2 runtime (or EDGEBENCH_CONTAINERD_RUNTIME / options.runtime). */
function containerdTarget(shim: string | null, options: Record<string, string>): Target {
  const wasm = shim !== null;
  const runtimeName = wasm ? WASM_SHIMS[shim]!.runtime : (readOption(CONTAINERD_RUNTIME, options) ?? 'io.containerd.runc.v2');
  const ctr = (...a: string[]): string[] => ['-a', CONTAINERD_SOCK, '-n', CONTAINERD_NAMESPACE, ...a];
  let tools: ToolFingerprint[] = [];
  const prepare = async (req: { workload: ColdStartRequest['workload'] }, dir: string): Promise<string> => {
    const img = buildImage({ workload: req.workload, outDir: join(dir, 'images') });
    return loadIntoContainerd(img);
  };
  const createArgs = (label: string, ref: string, id: string): string[] =>
    ctr('containers', 'create', '--runtime', runtimeName, '--label', `${LABEL_KEY}=${label}`, ref, id);
  return {
    layer: 'oci',
    runtime: wasm ? `containerd-${shim}` : 'containerd',
    description: `containerd through ctr, runtime ${runtimeName}`,
    accepts: wasm ? ['wasm'] : ['native'],
    async probe(): Promise<Availability> {
      if (wasm) {
        const s = WASM_SHIMS[shim]!;
        if (!which(s.binary))
          return {
            available: false,
            reason: `${s.binary} not found on PATH (no ${s.runtime} runtime for containerd)`,
            howToGet: 'install the runwasi shim (github.com/containerd/runwasi) on PATH',
          };
      }
      const why = await containerdUnavailable();
      if (why) return { available: false, reason: why, howToGet: 'apt-get install containerd; scripts/oci-daemons.sh' };
      const c = which('containerd');
      tools = [await fingerprintTool('ctr', which('ctr')!)];
      if (c) tools.push(await fingerprintTool('containerd', c));
      if (wasm) tools.push(await fingerprintTool(WASM_SHIMS[shim]!.binary, which(WASM_SHIMS[shim]!.binary)!));
      return { available: true, tools, notes: [`runtime ${runtimeName}; figures include the ctr CLI's own start`] };
    },
    async coldStart(req: ColdStartRequest): Promise<MetricSpec[]> {
      return withNewLabel(async (label, dir) => {
        const ref = await prepare(req, dir);
        for (let i = 0; i < req.warmup + req.samples && !req.signal.aborted; i++) {
          const id = `${label}-c-${i}`;
          const c = await timed('ctr', createArgs(label, ref, id));
          const s: Sample = { index: i, warmup: i < req.warmup, ok: false, values: { create: c.ns } };
          if (c.code !== 0) {
            s.error = `ctr containers create failed: ${said(c)}`;
            req.onSample(s);
            continue;
          }
          const st = await timed('ctr', ctr('tasks', 'start', id));
          const rm = await timed('ctr', ctr('containers', 'rm', id));
          s.values = { create: c.ns, start: st.ns, wall: c.ns + st.ns, delete: rm.ns };
          s.ok = st.code === 0 && rm.code === 0;
          if (st.code !== 0) s.error = `ctr tasks start exit ${st.code}: ${said(st)}`;
          else if (rm.code !== 0) s.error = `ctr containers rm failed: ${said(rm)}`;
          req.onSample(s);
        }
        return ctrMetrics();
      });
    },
    async fleet(workload: Workload): Promise<FleetSession> {
      return openOciFleet(async (label, dir) => {
        const ref = await prepare({ workload }, dir);
        const started: string[] = [];
        return {
          clock: CLI_CLOCK,
          async start(id) {
            const r = await timed('ctr', ctr('run', '-d', '--runtime', runtimeName, '--label', `${LABEL_KEY}=${label}`, ref, id));
            if (r.code !== 0) return { ok: false, startNs: r.ns, error: `ctr run -d: ${said(r)}` };
            started.push(id);
            return { ok: true, startNs: r.ns };
          },
          async resolvePids(ids) {
            const r = await timed('ctr', ctr('tasks', 'ls'));
            const want = new Set(ids);
            const m = new Map<string, number>();
            for (const l of r.stdout.split('\n').slice(1)) {
              const [id, pid] = l.trim().split(/\s+/);
              if (id && want.has(id)) m.set(id, Number(pid));
            }
            return m;
          },
          async stopAll() {
            for (let i = 0; i < started.length; i += 200) {
              const chunk = started.slice(i, i + 200);
              await timed('ctr', ctr('tasks', 'rm', '-f', ...chunk));
              await timed('ctr', ctr('containers', 'rm', ...chunk));
            }
          },
          notes: () => [
            `run label ${label}; start = \`ctr run -d\` round trip (shim start, task create and start), runtime ${runtimeName}; per-instance memory includes the shim's PSS`,
          ],
        };
      });
    },
  };
}

registerTarget('oci', 'containerd', (o) => containerdTarget(null, o), { options: [CONTAINERD_RUNTIME] });
for (const shim of Object.keys(WASM_SHIMS)) registerTarget('oci', `containerd-${shim}`, (o) => containerdTarget(shim, o));
