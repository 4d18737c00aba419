/** The `cri` target: pods through containerd's CRI (the kubelet's path), one runtime handler per runtime. */
import { env } from '../../env/environment.js';
import { deltaNs, nowNs, nsToNumber } from '../../core/clock.js';
import type { MetricSpec } from '../../core/metric.js';
import { which } from '../../env/tools.js';
import { newRunId } from '../../util/run-id.js';
import { UserError, errorMessage } from '../../util/errors.js';
import type { Workload } from '../../result/types.js';
import type { FleetSession } from '../fleet.js';
import type { Availability, ColdStartRequest, Target } from '../target.js';
import { readOption } from '../options.js';
import type { CriClient } from './client.js';
import { criColdStart } from './cold-start.js';
import { criFleet } from './fleet.js';
import { ensureWorkloadImage, requireSandboxImage } from './image.js';
import { CRI_NETWORK, DENSITY_MIN_FREE_TASKS } from './options.js';
import type { PodNetwork } from './pod.js';
import { connect, criToolsAndNote, handlerProblem, type CriRuntimeInfo, type CriRuntimeSpec } from './runtime.js';
import { criSocketPath, isSocket, requireSocket } from './socket.js';
import { SandboxTracker, type CleanupReport } from './tracker.js';

const SETUP = 'scripts/cri-containerd.sh up';

/** The pod network: --opt network (host|cni), else $EDGEBENCH_CRI_NETWORK, else host. */
function networkOf(options: Record<string, string>): PodNetwork {
  return readOption(CRI_NETWORK, options) === 'cni' ? 'cni' : 'host';
}

/**
 * Runs `body` with a connected client and a tracker whose sandboxes are all removed afterwards —
 * after success, error or SIGINT (a second SIGINT during teardown is held off until it is done).
 */
async function withPods<T>(
  socket: string,
  runId: string,
  body: (client: CriClient, info: CriRuntimeInfo, tracker: SandboxTracker) => Promise<T>,
): Promise<{ value: T; cleanup: CleanupReport; teardownNs: number }> {
  const { client, info } = await connect(socket);
  const tracker = new SandboxTracker(client, runId);
  try {
    const value = await body(client, info, tracker);
    const t = nowNs();
    const cleanup = await teardown(tracker);
    return { value, cleanup, teardownNs: nsToNumber(deltaNs(t, nowNs())) };
  } catch (e) {
    await teardown(tracker).catch(() => undefined);
    throw e;
  } finally {
    client.close();
  }
}

/** Removes the tracker's pods with SIGINT held off meanwhile; leftovers are reported, not thrown. */
async function teardown(tracker: SandboxTracker): Promise<CleanupReport> {
  const hold = (): void => {
    process.stderr.write(`\nedgebench: removing ${tracker.size} CRI pod(s) of run ${tracker.runId} first…\n`);
  };
  process.on('SIGINT', hold);
  try {
    return await tracker.removeAll();
  } finally {
    process.off('SIGINT', hold);
  }
}

/** Builds the target for one runtime handler. */
export function criTarget(spec: CriRuntimeSpec, options: Record<string, string>): Target {
  const socket = criSocketPath(options);
  const network = networkOf(options);
  const runId = options['runId'] ?? env.criRunId() ?? newRunId();
  const hostHas = (): boolean => spec.requires !== null && which(spec.requires) !== null;
  const annotations = { ...(spec.annotations ?? {}) };
  return {
    layer: 'cri',
    runtime: spec.runtime,
    description: spec.description,
    accepts: spec.accepts,

    async probe(): Promise<Availability> {
      if (!isSocket(socket)) return { available: false, reason: `no CRI socket at ${socket}`, howToGet: SETUP };
      let conn;
      try {
        conn = await connect(socket);
      } catch (e) {
        return { available: false, reason: errorMessage(e), howToGet: SETUP };
      }
      const { client, info } = conn;
      try {
        const problem = handlerProblem(spec, info, hostHas());
        if (problem) return { available: false, reason: problem.reason, howToGet: problem.kind === 'absent' ? spec.howToGet : SETUP };
        if (!info.sandboxImage || !(await client.imageStatus(info.sandboxImage))) {
          return {
            available: false,
            reason: `sandbox image ${info.sandboxImage || '(none configured)'} missing in ${info.runtimeName} at ${socket}`,
            howToGet: SETUP,
          };
        }
        const { tools, note } = await criToolsAndNote(info, spec);
        const ann = Object.entries(annotations).map(([k, v]) => `${k}=${v}`);
        const notes = [
          `CRI ${info.apiVersion} on ${info.runtimeName} ${info.runtimeVersion} at ${socket}, handler "${spec.handler}" (${info.handlers[spec.handler]?.runtimeType})`,
          note,
          ...(ann.length ? [`every sandbox and container is annotated ${ann.join(', ')}`] : []),
          `pod network: ${network === 'host' ? 'host (no CNI call)' : 'CNI'}; sandbox image ${info.sandboxImage}; run label edgebench.run=${runId}`,
          'containerd phase times come from ContainerStatus ns timestamps (GetContainerEvents is not implemented by containerd 1.6)',
          ...info.notReady.map((c) => `runtime condition not ready: ${c}`),
        ];
        return { available: true, tools, notes };
      } finally {
        client.close();
      }
    },

    async preflight(): Promise<void> {
      requireSocket(socket);
      const { client, info } = await connect(socket);
      try {
        const problem = handlerProblem(spec, info, hostHas());
        if (problem?.kind === 'misconfigured') throw new UserError(problem.reason);
        await requireSandboxImage(client, info.sandboxImage);
      } finally {
        client.close();
      }
    },

    async coldStart(req: ColdStartRequest): Promise<MetricSpec[]> {
      const r = await withPods(socket, runId, async (client, _info, tracker) => {
        const img = await ensureWorkloadImage(client, req.workload);
        return criColdStart({
          client,
          tracker,
          handler: spec.handler,
          annotations,
          image: img.ref,
          args: req.workload.args,
          network,
          samples: req.samples,
          warmup: req.warmup,
          exitTimeoutMs: 30_000,
          onSample: req.onSample,
          signal: req.signal,
        });
      });
      if (r.cleanup.errors.length) throw new Error(`cleanup left pods: ${r.cleanup.errors.join('; ')}`);
      return r.value;
    },

    async fleet(workload: Workload): Promise<FleetSession> {
      const minTasks = Number(readOption(DENSITY_MIN_FREE_TASKS, options));
      const { client, info } = await connect(socket);
      const tracker = new SandboxTracker(client, runId);
      try {
        const img = await ensureWorkloadImage(client, workload);
        return criFleet({
          client,
          tracker,
          handler: spec.handler,
          annotations,
          image: img.ref,
          args: workload.args,
          network,
          minFreeTasks: minTasks,
          about: `each pod = pause sandbox (${info.sandboxImage}) + one ${workload.name} container + one containerd shim; ${info.runtimeName} ${info.runtimeVersion}, handler ${spec.handler}`,
          removeAll: () => teardown(tracker),
        });
      } catch (e) {
        client.close();
        throw e;
      }
    },
  };
}
