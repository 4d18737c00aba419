/** The cri part of `edgebench cleanup`: pods (with their containers and cgroups) left by earlier runs, found by run label. */
import { errorMessage } from '../../util/errors.js';
import { CriClient } from './client.js';
import { OWNER_LABEL, PID_LABEL, RUN_LABEL } from './pod.js';
import { criSocketPath, isSocket } from './socket.js';
import { forEachLimit, removeRunCgroups, removeSandbox } from './tracker.js';

/** One edgebench pod found in containerd's CRI. */
export interface CriLeftover {
  runId: string;
  sandboxId: string;
  name: string;
  /** The edgebench process that created it is still running. */
  ownerAlive: boolean;
}

/** What a scan or cleanup found. */
export interface CriCleanup {
  socket: string;
  reachable: boolean;
  pods: CriLeftover[];
  removed: CriLeftover[];
  cgroups: number;
  errors: string[];
}

/** True when process `pid` exists. */
function alive(pid: string | undefined): boolean {
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0) return false;
  try {
    process.kill(n, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lists edgebench pods (of run `runId`, or of every run when null). */
async function scan(client: CriClient, runId: string | null): Promise<CriLeftover[]> {
  const selector: Record<string, string> = { [OWNER_LABEL]: 'edgebench' };
  if (runId !== null) selector[RUN_LABEL] = runId;
  return (await client.listPodSandbox(selector)).map((s) => ({
    runId: s.labels[RUN_LABEL] ?? '?',
    sandboxId: s.id,
    name: s.metadata?.name ?? s.id.slice(0, 12),
    ownerAlive: alive(s.labels[PID_LABEL]),
  }));
}

/**
 * Lists (check) or removes edgebench's CRI pods: those of `runId`, or without a run id those whose
 * creating process is gone (all of them with `all`). A missing socket means no daemon, so no pods:
 * only cgroup dirs are looked at.
 */
export async function cleanupCri(runId: string | null, opts: { all?: boolean; check?: boolean; options?: Record<string, string> } = {}): Promise<CriCleanup> {
  const socket = criSocketPath(opts.options ?? {});
  if (!isSocket(socket)) {
    const cgroups = opts.check ? 0 : removeRunCgroups(runId);
    return { socket, reachable: false, pods: [], removed: [], cgroups, errors: [] };
  }
  const client = new CriClient(socket, 60_000);
  try {
    const pods = await scan(client, runId);
    if (opts.check) return { socket, reachable: true, pods, removed: [], cgroups: 0, errors: [] };
    const doomed = pods.filter((p) => runId !== null || opts.all || !p.ownerAlive);
    const errors = (await forEachLimit(doomed, 4, (p) => removeSandbox(client, p.sandboxId))).map(errorMessage);
    // Containers whose sandbox went first (a crash between the two): remove them too.
    for (const c of await client.listContainers({ [OWNER_LABEL]: 'edgebench' })) {
      if (!doomed.some((p) => p.runId === c.labels[RUN_LABEL])) continue;
      try {
        await client.stopContainer(c.id, 0);
        await client.removeContainer(c.id);
      } catch (e) {
        errors.push(errorMessage(e));
      }
    }
    let cgroups = 0;
    if (runId !== null || opts.all) cgroups = removeRunCgroups(runId);
    else for (const id of new Set(doomed.map((p) => p.runId))) cgroups += removeRunCgroups(id);
    return { socket, reachable: true, pods, removed: doomed, cgroups, errors };
  } finally {
    client.close();
  }
}

/** Lines describing a cleanup or check, for the CLI. */
export function describeCriCleanup(r: CriCleanup, check = false): string[] {
  if (!r.reachable) return [`cri: no CRI socket at ${r.socket}${check ? '' : `; removed ${r.cgroups} cgroup dir(s)`}`];
  if (check) return r.pods.map((p) => `cri-pod    ${p.runId.padEnd(24)} ${p.name}${p.ownerAlive ? '  (run still active)' : ''}`);
  const lines = r.removed.map((p) => `removed cri-pod    ${p.runId.padEnd(24)} ${p.name}`);
  const kept = r.pods.length - r.removed.length;
  lines.push(
    `cri: removed ${r.removed.length} pod(s), ${r.cgroups} cgroup dir(s) at ${r.socket}${kept ? `; ${kept} kept (their run is still active: --all to remove)` : ''}${r.errors.length ? `; ${r.errors.length} error(s): ${r.errors[0]}` : ''}`,
  );
  return lines;
}
