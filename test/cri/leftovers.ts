/** What a CRI test run may have left behind: its labelled pods and containers, and its cgroup folders. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CriClient } from '../../src/targets/cri/client.js';
import { RUN_LABEL, safeToken } from '../../src/targets/cri/pod.js';

/** Pods and containers carrying a run's label, on the CRI at `socket`. */
export async function leftovers(socket: string, runId: string): Promise<{ sandboxes: number; containers: number }> {
  const c = new CriClient(socket);
  try {
    return { sandboxes: (await c.listPodSandbox({ [RUN_LABEL]: runId })).length, containers: (await c.listContainers({ [RUN_LABEL]: runId })).length };
  } finally {
    c.close();
  }
}

/** cgroup dirs a run left in any hierarchy. */
export function runCgroups(runId: string): string[] {
  return readdirSync('/sys/fs/cgroup')
    .map((h) => join('/sys/fs/cgroup', h, 'edgebench-cri', safeToken(runId)))
    .filter((p) => existsSync(p));
}
