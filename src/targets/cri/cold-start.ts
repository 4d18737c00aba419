/** Pod cold starts through CRI: a fresh sandbox and container per attempt, timed per phase. */
import { setTimeout as sleep } from 'node:timers/promises';
import { deltaNs, nowNs, nsToNumber } from '../../core/clock.js';
import type { MetricSpec, Sample } from '../../core/metric.js';
import { errorMessage } from '../../util/errors.js';
import type { CriClient } from './client.js';
import { COLD_START_METRICS, EXIT_POLL_NS } from './metrics.js';
import { containerConfig, sandboxConfig, type PodNetwork } from './pod.js';
import type { SandboxTracker } from './tracker.js';
import type { ContainerStatus } from './types.js';

/** What one cold-start series needs. */
export interface CriColdStartPlan {
  client: CriClient;
  tracker: SandboxTracker;
  handler: string;
  /** Annotations on the sandbox and the container (the runtime's, e.g. module.wasm.image/variant). */
  annotations?: Readonly<Record<string, string>>;
  image: string;
  args: string[];
  network: PodNetwork;
  samples: number;
  warmup: number;
  /** Longest wait for the container to exit (ms). */
  exitTimeoutMs: number;
  onSample: (s: Sample) => void;
  signal: AbortSignal;
}

/** Nanoseconds between two int64-as-string timestamps, or null when either is unset or the order is reversed. */
export function tsDelta(from: string, to: string): number | null {
  const a = BigInt(from || '0');
  const b = BigInt(to || '0');
  if (a <= 0n || b <= 0n || b < a) return null;
  return nsToNumber(b - a);
}

/** Polls ContainerStatus until the container has exited or the timeout passes. */
async function waitExited(client: CriClient, id: string, timeoutMs: number, signal: AbortSignal): Promise<ContainerStatus> {
  const deadline = nowNs() + BigInt(timeoutMs) * 1_000_000n;
  for (;;) {
    const st = await client.containerStatus(id);
    if (st.state === 'CONTAINER_EXITED') return st;
    if (signal.aborted) throw new Error('interrupted');
    if (nowNs() > deadline) throw new Error(`container did not exit within ${timeoutMs} ms (state ${st.state})`);
    await sleep(EXIT_POLL_NS / 1e6);
  }
}

/** One attempt: values of every phase reached, and whether the container ran to exit code 0. */
async function attempt(plan: CriColdStartPlan, index: number): Promise<{ values: Record<string, number>; error?: string }> {
  const { client, tracker } = plan;
  const values: Record<string, number> = {};
  const sb = sandboxConfig(tracker.runId, index, plan.network, plan.annotations);
  let sandboxId: string | null = null;
  let error: string | undefined;
  const t0 = nowNs();
  try {
    sandboxId = await client.runPodSandbox(sb, plan.handler);
    tracker.add(sandboxId);
    const t1 = nowNs();
    values['sandbox_start'] = nsToNumber(deltaNs(t0, t1));
    const cid = await client.createContainer(sandboxId, containerConfig(tracker.runId, plan.image, plan.args, plan.annotations), sb);
    const t2 = nowNs();
    values['container_create'] = nsToNumber(deltaNs(t1, t2));
    await client.startContainer(cid);
    const t3 = nowNs();
    values['container_start'] = nsToNumber(deltaNs(t2, t3));
    values['container_create_start'] = nsToNumber(deltaNs(t1, t3));
    const st = await waitExited(client, cid, plan.exitTimeoutMs, plan.signal);
    const t4 = nowNs();
    values['exit_observed'] = nsToNumber(deltaNs(t3, t4));
    values['wall'] = nsToNumber(deltaNs(t0, t4));
    const c2s = tsDelta(st.createdAt, st.startedAt);
    if (c2s !== null) values['ctrd_create_to_start'] = c2s;
    const s2e = tsDelta(st.startedAt, st.finishedAt);
    if (s2e !== null) values['ctrd_start_to_exit'] = s2e;
    if (st.exitCode !== 0) error = `exit code ${st.exitCode}${st.reason ? ` (${st.reason})` : ''}`;
  } catch (e) {
    error = errorMessage(e);
  }
  if (sandboxId) {
    const t5 = nowNs();
    try {
      await tracker.remove(sandboxId);
      if (!error) values['teardown'] = nsToNumber(deltaNs(t5, nowNs()));
    } catch (e) {
      error = error ?? `teardown: ${errorMessage(e)}`;
    }
  }
  return error === undefined ? { values } : { values, error };
}

/** Runs warm-up then measured attempts one after another; each is reported as soon as it is taken. */
export async function criColdStart(plan: CriColdStartPlan): Promise<MetricSpec[]> {
  const total = plan.warmup + plan.samples;
  for (let i = 0; i < total && !plan.signal.aborted; i++) {
    const r = await attempt(plan, i);
    const s: Sample = { index: i, warmup: i < plan.warmup, ok: r.error === undefined, values: r.values };
    if (r.error !== undefined) s.error = r.error;
    plan.onSample(s);
  }
  return COLD_START_METRICS;
}
