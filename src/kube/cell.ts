/** What a kube suite measures through: one runtime's cell in the cluster (session, pod manifests and creation, images). */
import type { Workload } from '../result/types.js';
import type { Conn } from './connection.js';
import type { PodTracker } from './tracker.js';

/** One cell's working area in the cluster; `close` removes it (returns notes on what could not be removed). */
export interface KubeSession {
  conn: Conn;
  ns: string;
  tracker: PodTracker;
  node: string | undefined;
  close: () => Promise<string[]>;
}

/** The image of a workload's pods, its pull policy and the pod annotations its runtime needs (Wasm modules). */
export interface PodImage {
  image: string;
  pullPolicy: 'Never' | 'IfNotPresent';
  annotations?: Readonly<Record<string, string>>;
}

/** One runtime (RuntimeClass) at the kube layer as its measurements see it. */
export interface KubeCell {
  readonly runtime: string;
  readonly rc: string | null;
  readonly runId: string;
  readonly simulated: boolean;
  /** Pods the simulated node admits (--opt sim-max-pods); undefined: what the measurement needs. */
  readonly simMaxPods: number | undefined;
  /** Simulated node: delay before a pod reports running, ms (--opt sim-start-delay-ms; 0 when unset). */
  readonly simStartDelayMs: number;
  /** Longest wait for one pod to start, ms (--opt pod-timeout-ms; 60000 when unset). */
  readonly podTimeoutMs: number;
  /** Namespace, tracker and (optionally) simulated node for one cell, sized for `maxPods`. */
  session(maxPods: number): Promise<KubeSession>;
  /** The image, pull policy and annotations of the workload's pods (for Deployments' pod templates). */
  podImage(w: Workload): PodImage;
  /** The pod manifest for one instance of the workload. */
  manifest(name: string, ns: string, w: Workload, node: string | undefined, labels?: Record<string, string>): Record<string, unknown>;
  /** Creates one pod; records the client's request/response instants. */
  createPod(conn: Conn, tracker: PodTracker, ns: string, manifest: Record<string, unknown>, name: string, signal?: AbortSignal): Promise<void>;
}
