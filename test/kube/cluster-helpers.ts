/** Shared bits of the tests that run against the dev cluster (scripts/dev-cluster.sh up). */
import { existsSync, readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { procStartTime, readOrNull } from '../../src/host/procfs.js';
import type { Result } from '../../src/result/types.js';
import { loadKubeConfig } from '../../src/kube/access.js';
import { KubeClient } from '../../src/kube/http.js';
import { leftoverNames, leftovers } from '../../src/kube/resources.js';
import { repoPath } from '../../src/util/paths.js';

export const DEV_STATE = '/var/lib/edgebench/dev-cluster';
export const DEV_KUBECONFIG = join(DEV_STATE, 'kubeconfig');
export const CLI = repoPath('dist', 'src', 'cli', 'main.js');

/** Whether the process of a scripts/lib/pidfile.sh pid file ("PID STARTTIME") still runs: same pid, same start time. */
export function pidFileAlive(file: string): boolean {
  const [pid, start] = readOrNull(file)?.trim().split(/\s+/) ?? [];
  const now = procStartTime(Number(pid));
  return now !== null && (start === undefined || start === now);
}

/** null when the dev cluster is up, else why not. */
export function devCluster(): string | null {
  if (!existsSync(DEV_KUBECONFIG)) return `no dev cluster (${DEV_KUBECONFIG} absent): run bash scripts/dev-cluster.sh up`;
  if (!pidFileAlive('/run/edgebench/kube/kube-apiserver.pid')) return 'dev cluster kube-apiserver not running: run bash scripts/dev-cluster.sh up';
  if (!existsSync(CLI)) return 'CLI not built: npm run build';
  return null;
}

/** An admin client for the dev cluster. */
export function devClient(): KubeClient {
  return new KubeClient(loadKubeConfig({ kubeconfig: DEV_KUBECONFIG }).kc);
}

/** Runs the CLI; resolves with exit code and output. */
export function cli(args: string[], env: Record<string, string> = {}, timeoutMs = 300_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** What edgebench runs (one run id, or all — other sessions may share the cluster) left in it (namespaces, simulated nodes). */
export async function allLeftovers(runId?: string): Promise<string[]> {
  const c = devClient();
  try {
    const l = await leftovers(c, runId);
    return leftoverNames(l);
  } finally {
    c.close();
  }
}

/** The result files a `run` wrote (paths printed on stderr after "→"). */
export function results(stderr: string): Result[] {
  return [...stderr.matchAll(/→ (\S+\.json)/g)].map((m) => JSON.parse(readFileSync(m[1]!, 'utf8')) as Result);
}

/** Run ids printed by `edgebench run` ("run ID: ..."). */
export function runIds(stdout: string): string[] {
  return [...stdout.matchAll(/^run (\S+):/gm)].map((m) => m[1]!);
}
