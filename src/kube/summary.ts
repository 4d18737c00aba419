/** The kubelet summary API (/stats/summary through the API server's node proxy): the parts edgebench reads. */
import { sleep } from '../util/sleep.js';
import type { KubeClient } from './http.js';

/** Memory as the kubelet reports it (cAdvisor or CRI stats; bytes; time is when the stats were collected). */
export interface SummaryMemory {
  time?: string;
  workingSetBytes?: number;
  usageBytes?: number;
  rssBytes?: number;
}

/** One pod in the summary. */
export interface SummaryPod {
  podRef: { name: string; namespace: string; uid: string };
  memory?: SummaryMemory;
  containers?: { name: string; memory?: SummaryMemory }[];
}

/** The summary's node part and pods. */
export interface Summary {
  node: { nodeName?: string; memory?: SummaryMemory; systemContainers?: { name: string; memory?: SummaryMemory }[] };
  pods?: SummaryPod[];
}

/** Reads a node's summary (one request, no retry: a stale answer is worse than none). */
export async function readSummary(client: KubeClient, node: string, timeoutMs = 10_000): Promise<Summary> {
  const r = await client.request<Summary>('GET', `/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`, { timeoutMs, retry: false });
  return r.body;
}

/**
 * Whether a stats time (a 1 s API timestamp, or epoch ms taken from one) lies in a later second than `afterMs`, so
 * the stats were certainly collected after that instant.
 */
export function collectedAfter(time: string | number | null | undefined, afterMs: number): boolean {
  if (time === null || time === undefined) return false;
  return (typeof time === 'number' ? time : Date.parse(time)) > Math.floor(afterMs / 1000) * 1000;
}

/**
 * Reads a node's summary once a second until `fresh` holds, `deadlineMs` (epoch ms) passes or `signal` aborts;
 * resolves with the last answer either way (the kubelet collects stats every 10–15 s). Read errors propagate.
 */
export async function pollSummary(client: KubeClient, node: string, fresh: (s: Summary) => boolean, deadlineMs: number, signal?: AbortSignal): Promise<Summary> {
  let sum = await readSummary(client, node);
  while (!fresh(sum) && Date.now() < deadlineMs && !signal?.aborted) {
    await sleep(1000, signal);
    sum = await readSummary(client, node);
  }
  return sum;
}

/** Working set of each system container the kubelet reports (kubelet, runtime, pods, misc), bytes. */
export function systemContainerWorkingSets(s: Summary): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of s.node.systemContainers ?? []) if (typeof c.memory?.workingSetBytes === 'number') out[c.name] = c.memory.workingSetBytes;
  return out;
}

/** A pod's working set: the pod-level figure, else the sum over its containers (kubelets without pod cgroups). */
export function podWorkingSet(p: SummaryPod): number | null {
  if (typeof p.memory?.workingSetBytes === 'number' && p.memory.workingSetBytes > 0) return p.memory.workingSetBytes;
  const cs = (p.containers ?? []).map((c) => c.memory?.workingSetBytes).filter((v): v is number => typeof v === 'number');
  return cs.length ? cs.reduce((a, b) => a + b, 0) : null;
}

/** The oldest collection time among a pod's memory figures (epoch ms), or null. */
export function podStatsTime(p: SummaryPod): number | null {
  const ts = [p.memory?.time, ...(p.containers ?? []).map((c) => c.memory?.time)].filter((t): t is string => !!t).map((t) => Date.parse(t));
  return ts.length ? Math.min(...ts) : null;
}

/** The oldest collection time among the node's and its system containers' memory figures (API timestamp), or undefined. */
export function oldestNodeStats(s: Summary): string | undefined {
  const ts = [s.node.memory?.time, ...(s.node.systemContainers ?? []).map((c) => c.memory?.time)].filter((t): t is string => !!t);
  return ts.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
}
