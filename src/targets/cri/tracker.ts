/** Keeps the sandboxes a run created, and removes them all: after the run, on error, on SIGINT. */
import { rmdirSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../util/errors.js';
import { isNotFound, type CriClient } from './client.js';
import { CGROUP_ROOT, runLabels, safeToken } from './pod.js';

/** Stops and removes one sandbox (its containers go with it); NOT_FOUND counts as removed. */
export async function removeSandbox(client: CriClient, id: string): Promise<void> {
  try {
    await client.stopPodSandbox(id);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  try {
    await client.removePodSandbox(id);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/** Runs `fn` over `items` with at most `limit` in flight; resolves with the errors. */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<unknown[]> {
  const errors: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (e) {
        errors.push(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return errors;
}

/** cgroup hierarchies mounted under /sys/fs/cgroup (v1 controllers, the unified v2 tree, or v2 itself). */
export function cgroupHierarchies(root = '/sys/fs/cgroup'): string[] {
  if (existsSync(join(root, 'cgroup.controllers'))) return [root];
  try {
    return readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(root, d.name));
  } catch {
    return [];
  }
}

/** Removes the (empty) pod cgroup parents a run left, deepest first; returns how many were removed. */
export function removeRunCgroups(runId: string | null, root = '/sys/fs/cgroup'): number {
  let removed = 0;
  const rmTree = (dir: string): void => {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      return;
    }
    for (const e of entries) rmTree(join(dir, e));
    try {
      rmdirSync(dir);
      removed++;
    } catch {
      /* busy or gone: a process still lives there */
    }
  };
  for (const h of cgroupHierarchies(root)) {
    const base = join(h, CGROUP_ROOT);
    if (!existsSync(base)) continue;
    if (runId === null) rmTree(base);
    else {
      rmTree(join(base, safeToken(runId)));
      try {
        if (readdirSync(base, { withFileTypes: true }).every((d) => !d.isDirectory())) rmdirSync(base);
      } catch {
        /* other runs still there */
      }
    }
  }
  return removed;
}

/** What a cleanup found and removed. */
export interface CleanupReport {
  sandboxes: number;
  containers: number;
  cgroups: number;
  errors: string[];
}

/** Removes every sandbox (and so container) labelled with `runId`, or every edgebench one when null. */
export async function cleanupByLabel(client: CriClient, runId: string | null): Promise<CleanupReport> {
  const labels = runId === null ? { 'edgebench.owner': 'edgebench' } : runLabels(runId);
  const sandboxes = await client.listPodSandbox(labels);
  const containers = await client.listContainers(labels);
  const errors = (await forEachLimit(sandboxes.map((s) => s.id), 4, (id) => removeSandbox(client, id))).map(errorMessage);
  // Containers whose sandbox is already gone (should not happen, but a crash can leave them).
  const orphans = (await client.listContainers(labels)).map((c) => c.id);
  for (const id of orphans) {
    try {
      await client.stopContainer(id, 0);
      await client.removeContainer(id);
    } catch (e) {
      if (!isNotFound(e)) errors.push(errorMessage(e));
    }
  }
  const cgroups = removeRunCgroups(runId);
  return { sandboxes: sandboxes.length, containers: containers.length, cgroups, errors };
}

/** The sandboxes of one run in flight; `removeAll` tears every one down. */
export class SandboxTracker {
  private readonly live = new Set<string>();

  constructor(
    private readonly client: CriClient,
    readonly runId: string,
  ) {}

  /** Remembers a created sandbox. */
  add(id: string): void {
    this.live.add(id);
  }

  /** Removes one sandbox now. */
  async remove(id: string): Promise<void> {
    await removeSandbox(this.client, id);
    this.live.delete(id);
  }

  /** Number of sandboxes alive. */
  get size(): number {
    return this.live.size;
  }

  /** Tears down every remembered sandbox, then anything else labelled with the run (a sandbox whose RunPodSandbox reply was lost). */
  async removeAll(concurrency = 4): Promise<CleanupReport> {
    const ids = [...this.live];
    const errors = (await forEachLimit(ids, concurrency, (id) => this.remove(id))).map(errorMessage);
    const rest = await cleanupByLabel(this.client, this.runId);
    return { sandboxes: ids.length + rest.sandboxes, containers: rest.containers, cgroups: rest.cgroups, errors: [...errors, ...rest.errors] };
  }
}
