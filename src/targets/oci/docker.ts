/** `docker` (runtime selectable: options.runtime or EDGEBENCH_DOCKER_RUNTIME, default runc) and `docker-wasm` (Docker's Wasm route, where the daemon supports it). */
import { readOption } from '../options.js';
import { DOCKER_RUNTIME } from './options.js';
import { join } from 'node:path';
import { execa } from 'execa';
import { CLIENT_MONOTONIC } from '../../core/clock.js';
import type { MetricSpec, Sample } from '../../core/metric.js';
import { fingerprintTool, which } from '../../env/tools.js';
import { buildImage } from '../../image/build.js';
import { dockerEnv, dockerUnavailable, loadIntoDocker } from '../../image/load.js';
import type { ToolFingerprint, Workload } from '../../result/types.js';
import type { FleetSession } from '../fleet.js';
import { registerTarget } from '../registry.js';
import type { Availability, ColdStartRequest, Target } from '../target.js';
import { withNewLabel } from './cleanup.js';
import { cliCycleMetrics, said, timed } from './cli.js';
import { LABEL_KEY } from './label.js';
import { CLI_CLOCK, openOciFleet } from './fleet.js';
import { installedShims, WASM_SHIMS } from './wasm-detect.js';

const DOCKER_CLOCK = { ...CLIENT_MONOTONIC, detail: "process.hrtime.bigint around each docker CLI invocation (includes the CLI's own start)" };

/** Metrics of one docker create → start -a → rm cycle. */
function dockerMetrics(): MetricSpec[] {
  return cliCycleMetrics(DOCKER_CLOCK, {
    wall: '`docker create` + `docker start -a` (to exit)',
    create: '`docker create --pull never --network none`',
    start: '`docker start -a`: start, attach, wait for exit',
    delete: '`docker rm`',
  });
}

/** Server version of the docker daemon, or null. */
async function serverVersion(): Promise<string | null> {
  const r = await execa('docker', ['version', '--format', '{{.Server.Version}}'], { env: dockerEnv(), reject: false, timeout: 15_000, stdin: 'ignore' });
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

/** Builds a docker target. */
function dockerTarget(wasm: boolean, options: Record<string, string>): Target {
  let runtimeName = readOption(DOCKER_RUNTIME, options) ?? 'runc';
  let tools: ToolFingerprint[] = [];
  const env = dockerEnv();
  const common = (label: string): string[] => [
    '--pull',
    'never',
    '--network',
    'none',
    '--runtime',
    runtimeName,
    '--label',
    `${LABEL_KEY}=${label}`,
    ...(wasm ? ['--platform', 'wasi/wasm'] : []),
  ];
  const prepare = async (w: ColdStartRequest['workload'], dir: string): Promise<string> =>
    loadIntoDocker(buildImage({ workload: w, outDir: join(dir, 'images') }));
  return {
    layer: 'oci',
    runtime: wasm ? 'docker-wasm' : 'docker',
    description: wasm
      ? 'docker with a runwasi shim as runtime (needs Docker ≥ 24 with the containerd image store)'
      : `docker CLI → dockerd → containerd, runtime ${runtimeName}, --network none`,
    accepts: wasm ? ['wasm'] : ['native'],
    async probe(): Promise<Availability> {
      const why = await dockerUnavailable();
      if (why) return { available: false, reason: why, howToGet: 'apt-get install docker.io; scripts/oci-daemons.sh' };
      const v = await serverVersion();
      if (wasm) {
        const major = Number(v?.split('.')[0] ?? 0);
        if (major < 24)
          return {
            available: false,
            reason: `dockerd ${v} cannot load wasi/wasm images ("wasi": unknown operating system); Docker runs Wasm from 24 on, with the containerd image store and a runwasi shim`,
            howToGet: 'Docker ≥ 24 with containerd-snapshotter and a containerd-shim-*-v1 on PATH',
          };
        const shims = installedShims();
        if (!shims.length) return { available: false, reason: 'no runwasi shim (containerd-shim-wasmedge-v1, …) on PATH', howToGet: 'install a runwasi shim' };
        runtimeName = WASM_SHIMS[shims[0]!]!.runtime;
      }
      tools = [await fingerprintTool('docker', which('docker')!)];
      const d = which('dockerd');
      if (d) tools.push({ ...(await fingerprintTool('dockerd', d)), version: `dockerd ${v}` });
      return {
        available: true,
        tools,
        notes: [`docker runtime ${runtimeName}; DOCKER_API_VERSION=${env['DOCKER_API_VERSION']}; figures include the docker CLI's own start`],
      };
    },
    async coldStart(req: ColdStartRequest): Promise<MetricSpec[]> {
      return withNewLabel(async (label, dir) => {
        const ref = await prepare(req.workload, dir);
        for (let i = 0; i < req.warmup + req.samples && !req.signal.aborted; i++) {
          const c = await timed('docker', ['create', ...common(label), '--name', `${label}-c-${i}`, ref], env);
          const s: Sample = { index: i, warmup: i < req.warmup, ok: false, values: { create: c.ns } };
          if (c.code !== 0) {
            s.error = `docker create failed: ${said(c)}`;
            req.onSample(s);
            continue;
          }
          const id = c.stdout.trim();
          const st = await timed('docker', ['start', '-a', id], env);
          const rm = await timed('docker', ['rm', id], env);
          s.values = { create: c.ns, start: st.ns, wall: c.ns + st.ns, delete: rm.ns };
          s.ok = st.code === 0 && rm.code === 0;
          if (st.code !== 0) s.error = `docker start -a exit ${st.code}: ${said(st)}`;
          else if (rm.code !== 0) s.error = `docker rm failed: ${said(rm)}`;
          req.onSample(s);
        }
        return dockerMetrics();
      });
    },
    async fleet(workload: Workload): Promise<FleetSession> {
      return openOciFleet(async (label, dir) => {
        const ref = await prepare(workload, dir);
        const started: string[] = [];
        return {
          clock: CLI_CLOCK,
          async start(id) {
            const r = await timed('docker', ['run', '-d', ...common(label), '--name', id, ref], env);
            if (r.code !== 0) return { ok: false, startNs: r.ns, error: `docker run -d: ${said(r)}` };
            started.push(id);
            return { ok: true, startNs: r.ns };
          },
          async resolvePids(ids) {
            const r = await timed('docker', ['inspect', '--format', '{{.Name}} {{.State.Pid}}', ...ids], env);
            const m = new Map<string, number>();
            for (const l of r.stdout.split('\n')) {
              const [n, pid] = l.trim().split(' ');
              if (n && pid && Number(pid) > 0) m.set(n.replace(/^\//, ''), Number(pid));
            }
            return m;
          },
          async stopAll() {
            for (let i = 0; i < started.length; i += 200) await timed('docker', ['rm', '-f', ...started.slice(i, i + 200)], env);
          },
          notes: () => [
            `run label ${label}; start = \`docker run -d\` round trip, runtime ${runtimeName}; per-instance memory includes the shim's PSS (dockerd's and containerd's growth shows in host delta only)`,
          ],
        };
      });
    },
  };
}

registerTarget('oci', 'docker', (o) => dockerTarget(false, o), { options: [DOCKER_RUNTIME] });
registerTarget('oci', 'docker-wasm', (o) => dockerTarget(true, o));
