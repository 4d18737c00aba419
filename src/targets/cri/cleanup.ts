/** The cri part of `edgebench cleanup`: removes pods (and their containers and cgroups) left by earlier runs, by run label. */
import { statSync } from 'node:fs';
import { CriClient } from './client.js';
import { criSocketPath } from './socket.js';
import { cleanupByLabel, removeRunCgroups, type CleanupReport } from './tracker.js';

/** Removes the CRI leftovers of run `runId` (or of every edgebench run when null); a missing socket removes cgroups only. */
export async function cleanupCri(runId: string | null, options: Record<string, string> = {}): Promise<CleanupReport & { socket: string; reachable: boolean }> {
  const socket = criSocketPath(options);
  let reachable = false;
  try {
    reachable = statSync(socket).isSocket();
  } catch {
    /* no daemon: nothing of it to remove */
  }
  if (!reachable) return { socket, reachable, sandboxes: 0, containers: 0, cgroups: removeRunCgroups(runId), errors: [] };
  const client = new CriClient(socket, 60_000);
  try {
    return { socket, reachable, ...(await cleanupByLabel(client, runId)) };
  } finally {
    client.close();
  }
}

/** One line describing a cleanup. */
export function describeCriCleanup(r: Awaited<ReturnType<typeof cleanupCri>>): string {
  if (!r.reachable) return `cri: no CRI socket at ${r.socket}; removed ${r.cgroups} cgroup dir(s)`;
  const errs = r.errors.length ? `; ${r.errors.length} error(s): ${r.errors[0]}` : '';
  return `cri: removed ${r.sandboxes} pod sandbox(es), ${r.containers} container(s), ${r.cgroups} cgroup dir(s) at ${r.socket}${errs}`;
}
