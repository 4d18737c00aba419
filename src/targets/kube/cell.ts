/** What the kube measurements need of a kube target: its cell's session (namespace, tracker, node), pod manifests and creation. */
import type { Workload } from '../../result/types.js';
import type { Conn } from '../../kube/connection.js';
import type { PodTracker } from '../../kube/tracker.js';

/** One cell's working area in the cluster; `close` removes it (returns notes on what could not be removed). */
export interface KubeSession {
  conn: Conn;
  ns: string;
  tracker: PodTracker;
  node: string | undefined;
  close: () => Promise<string[]>;
}

/** One runtime (RuntimeClass) at the kube layer as its measurements see it. */
export interface KubeCell {
  readonly runtime: string;
  readonly options: Record<string, string>;
  readonly rc: string | null;
  readonly runId: string;
  readonly simulated: boolean;
  /** Namespace, tracker and (optionally) simulated node for one cell, sized for `maxPods`. */
  session(maxPods: number): Promise<KubeSession>;
  /** The pod manifest for one instance of the workload. */
  manifest(name: string, ns: string, w: Workload, node: string | undefined, labels?: Record<string, string>): Record<string, unknown>;
  /** Creates one pod; records the client's request/response instants. */
  createPod(conn: Conn, tracker: PodTracker, ns: string, manifest: Record<string, unknown>, name: string, signal?: AbortSignal): Promise<void>;
}
