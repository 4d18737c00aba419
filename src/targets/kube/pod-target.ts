/**
 * The kube layer's Target: workloads run as pods through the Kubernetes API, one RuntimeClass per runtime.
 * Each cell works in a namespace of its own labelled with the run id and removes it at the end (normal end,
 * error or interrupt); `edgebench cleanup --run ID` removes what a killed run left.
 */
import { hostname } from 'node:os';
import { nowNs } from '../../core/clock.js';
import type { MetricSpec } from '../../core/metric.js';
import { listPids, procArgs, procComm } from '../../host/procfs.js';
import { WASM_POD_ANNOTATIONS } from '../cri/pod.js';
import type { ToolFingerprint, Workload } from '../../result/types.js';
import type { WasmAbi } from '../../fixtures/workload.js';
import { UserError, errorMessage } from '../../util/errors.js';
import type { Availability, ColdStartRequest, Target } from '../target.js';
import { accessFromOptions, type AccessOptions } from '../../kube/access.js';
import { openConn, type Conn } from '../../kube/connection.js';
import { isThisHost, kubeletRuntimeSocket } from '../../kube/node-memory.js';
import { capacityBlockers, type ClusterFacts } from '../../kube/preflight.js';
import { cleanupRun, createNamespace, imageRef, namespaceFor, podManifest, RUN_LABEL } from '../../kube/resources.js';
import { startSimNode, type SimProcess } from './sim-process.js';
import { PodTracker } from '../../kube/tracker.js';
import type { KubeCell, KubeSession, PodImage } from '../../kube/cell.js';
import { coldStart } from './cold-start.js';

/** Runtimes that run Wasm modules (their pods use the fixture's wasm image). */
const WASM_RUNTIMES = new Set(['wasmedge', 'wasmtime', 'wasmer', 'spin', 'slight', 'wws', 'lunatic']);

/**
 * Pods running a Wasm module carry WASM_POD_ANNOTATIONS (module.wasm.image/variant=compat-smart): crun's Wasm handler
 * (K3s's crun path, and the local cluster's wasmedge handler backed by crun+WasmEdge) runs the container on WasmEdge only
 * when it sees it, and leaves the native pause container alone; runwasi's shims ignore it.
 */
export { WASM_POD_ANNOTATIONS };

/** The value of flag `name` in an argv (`--name=V` or `--name V`). */
function argValue(args: readonly string[], name: string): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
    if (a === name && i + 1 < args.length) return args[i + 1]!;
  }
  return null;
}

/** K3s's embedded containerd, asked when no kubelet process (K3s runs it in-process) names a runtime endpoint. */
const K3S_CRI_SOCKET = '/run/k3s/containerd/containerd.sock';

/**
 * What backs a RuntimeClass's handler, read from the node's own CRI (the kubelet's --container-runtime-endpoint, or
 * K3s's containerd) when the harness runs on a node of the cluster: runtime type, binary, build (see cri/runtime.ts).
 */
async function nodeHandler(handler: string, facts: ClusterFacts): Promise<{ tools: ToolFingerprint[]; note: string }> {
  const kubelet = listPids().find((pid) => procComm(pid) === 'kubelet');
  const args = kubelet ? (procArgs(kubelet) ?? []) : [];
  // This host is a node when a local kubelet registers under a real node's name (a pod-less CNI bridge has no carrier,
  // so the node's bridge address may be missing from this host's interface list), or when one of its addresses is ours.
  const localName = argValue(args, '--hostname-override') ?? hostname();
  const here = facts.nodes.some((n) => !n.simulated && ((kubelet !== undefined && n.name === localName) || isThisHost(n)));
  if (!here) return { tools: [], note: `handler ${handler}: not inspected (the harness does not run on a node of the cluster)` };
  const socket = kubeletRuntimeSocket(args) ?? K3S_CRI_SOCKET;
  try {
    const { connect, describeHandler } = await import('../cri/runtime.js');
    const { client, info } = await connect(socket);
    try {
      const d = await describeHandler(info, handler);
      return { tools: d.tools, note: `${d.note} (from ${info.runtimeName} ${info.runtimeVersion} at ${socket}, this node's CRI)` };
    } finally {
      client.close();
    }
  } catch (e) {
    return { tools: [], note: `handler ${handler}: not inspected (${errorMessage(e)})` };
  }
}

const num = (v: string | number | undefined, d: number): number => (v === undefined || v === '' ? d : Number(v));

/** One runtime (RuntimeClass) at the kube layer. */
export class KubePodTarget implements Target, KubeCell {
  readonly layer = 'kube' as const;
  readonly accepts: ReadonlyArray<Workload['kind']>;
  readonly description: string;
  private readonly access: AccessOptions;
  readonly rc: string | null;

  constructor(
    readonly runtime: string,
    readonly options: Record<string, string>,
  ) {
    this.rc = runtime === 'default' ? null : runtime;
    this.accepts = WASM_RUNTIMES.has(runtime) ? ['wasm'] : runtime === 'crun' ? ['native', 'wasm'] : ['native'];
    this.description = this.rc
      ? `pods with runtimeClassName ${this.rc} through the Kubernetes API`
      : "pods on the node's default runtime handler through the Kubernetes API";
    this.access = accessFromOptions(options);
  }

  /**
   * Interfaces beyond WASI preview1 the RuntimeClass's Wasm engine provides. Handler `wasmedge` is WasmEdge whichever
   * way it is backed: crun+WasmEdge (crun's handler links libwasmedge and runs the module with WasmEdge's WASI host
   * module, which exports sock_open/sock_bind/sock_listen/sock_accept/sock_send…: the local dev cluster's handler) or
   * runwasi's containerd-shim-wasmedge (the same WasmEdge WASI host module, sockets included). Other Wasm
   * RuntimeClasses (wasmtime, spin, …) and `crun` (whose Wasm engine the cluster does not tell) declare none, so the
   * http fixture is not measured there.
   */
  get wasmAbis(): ReadonlyArray<WasmAbi> {
    return this.runtime === 'wasmedge' ? ['wasmedge-sockets'] : [];
  }

  get runId(): string {
    return this.options['runId'] ?? 'adhoc';
  }

  /** Whether pods go to a simulated node of the harness's own. */
  get simulated(): boolean {
    return this.options['sim-node'] === 'true' || this.options['sim-node'] === '1';
  }

  get simMaxPods(): number | undefined {
    const v = this.options['sim-max-pods'];
    return v === undefined || v === '' ? undefined : Number(v);
  }

  get simStartDelayMs(): number {
    return num(this.options['sim-start-delay-ms'], 0);
  }

  get podTimeoutMs(): number {
    return num(this.options['pod-timeout-ms'], 60_000);
  }

  /** What is simulated when pods go to the harness's simulated node (recorded in every result of the cell). */
  get simulation(): string | null {
    return this.simulated
      ? `pods ran on edgebench's simulated node (start delay ${this.simStartDelayMs} ms): API server, scheduler and harness are real; no kubelet, no container runtime, no workload ran`
      : null;
  }

  private simName(): string {
    return `eb-sim-${this.runId}`.slice(0, 63);
  }

  async probe(): Promise<Availability> {
    let conn: Conn;
    try {
      conn = await openConn(this.access);
    } catch (e) {
      return { available: false, reason: errorMessage(e), howToGet: 'see docs/kube.md' };
    }
    if (this.rc && !conn.facts.runtimeClasses.some((r) => r.name === this.rc)) {
      return {
        available: false,
        reason: `RuntimeClass ${this.rc} not present in cluster ${conn.client.server.origin} (present: ${conn.facts.runtimeClasses.map((r) => r.name).join(', ') || 'none'})`,
        howToGet: 'K3s creates RuntimeClasses for the containerd shims on its PATH (e.g. containerd-shim-wasmedge-v1)',
      };
    }
    const tools: ToolFingerprint[] = [{ name: 'kubernetes', version: conn.version, path: conn.client.server.origin, sha256: null }];
    const nodes = conn.facts.nodes
      .filter((n) => !n.simulated)
      .map((n) => `${n.name} (kubelet ${n.kubeletVersion}, ${n.containerRuntime}, max ${n.allocatablePods} pods)`);
    const notes = [`cluster ${conn.client.server.origin} via ${conn.source}`, `nodes: ${nodes.join('; ') || 'none real'}`];
    const handler = this.rc ? conn.facts.runtimeClasses.find((r) => r.name === this.rc)?.handler : undefined;
    if (handler) {
      notes.push(`RuntimeClass ${this.rc} → handler ${handler}`);
      if (!this.simulated) {
        const h = await nodeHandler(handler, conn.facts);
        tools.push(...h.tools);
        notes.push(h.note);
      }
    }
    if (this.accepts.includes('wasm'))
      notes.push(
        `Wasm pods carry the pod annotation ${Object.entries(WASM_POD_ANNOTATIONS)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`,
      );
    return { available: true, tools, notes };
  }

  async preflight(params: Record<string, string | number>): Promise<void> {
    const conn = await openConn(this.access); // missing/malformed kubeconfig, unreachable, unauthorised → UserError
    if (this.rc && !conn.facts.runtimeClasses.some((r) => r.name === this.rc)) {
      throw new UserError(
        `RuntimeClass "${this.rc}" does not exist in cluster ${conn.client.server.origin} (present: ${conn.facts.runtimeClasses.map((r) => r.name).join(', ') || 'none'})`,
      );
    }
    const target = num(params['target'], 0);
    const pinned = this.options['node'];
    if (pinned && !conn.facts.nodes.some((n) => n.name === pinned))
      throw new UserError(`node "${pinned}" does not exist in cluster ${conn.client.server.origin}`);
    if (target > 0 && !this.simulated) {
      const nodes = conn.facts.nodes.filter((n) => (pinned ? n.name === pinned : !n.simulated));
      const node = nodes.sort((a, b) => b.allocatablePods - b.podsOnNode - (a.allocatablePods - a.podsOnNode))[0];
      if (!node) throw new UserError('no schedulable node in the cluster');
      const blockers = capacityBlockers(node, target);
      if (blockers.length) throw new UserError(`target of ${target} pods cannot fit: ${blockers.join('; ')}`);
    }
  }

  /** Namespace, tracker and (optionally) simulated node for one cell; `close` undoes all of it. */
  async session(maxPods: number): Promise<KubeSession> {
    const conn = await openConn(this.access);
    const ns = await createNamespace(conn.client, this.runId, `${this.runId}-${this.runtime}`);
    let sim: SimProcess | null = null;
    const tracker = new PodTracker(conn.client, ns, `${RUN_LABEL}=${this.runId}`);
    const close = async (): Promise<string[]> => {
      tracker.stop();
      const notes: string[] = [];
      // Cleanup while the simulator still runs, so it finalizes its pods; then the simulator, then its Node.
      const rep = await cleanupRun(conn.client, this.runId, { namespaces: [ns], keepNodes: true }).catch((e: unknown) => ({
        remaining: [`cleanup failed: ${errorMessage(e)}`],
      }));
      if (sim) {
        await sim.stop();
        await conn.client.request('DELETE', `/api/v1/nodes/${sim.name}`, { accept: [404] }).catch(() => undefined);
      }
      if (rep.remaining.length) notes.push(`cleanup incomplete: ${rep.remaining.join(', ')} (run \`edgebench cleanup --run ${this.runId}\`)`);
      return notes;
    };
    try {
      if (this.simulated) {
        sim = await startSimNode(this.access, { name: this.simName(), runId: this.runId, maxPods, startDelayMs: this.simStartDelayMs });
      }
      await tracker.start();
    } catch (e) {
      await close();
      throw e;
    }
    return { conn, ns, tracker, node: sim ? sim.name : this.options['node'], close };
  }

  /** The driver the kube suites measure through: this target itself. */
  get kube(): KubeCell {
    return this;
  }

  /** The image (--opt image, else the fixture's), pull policy (--opt image-pull-policy) and Wasm pod annotations of the workload's pods. */
  podImage(w: Workload): PodImage {
    return {
      image: this.options['image'] ?? imageRef(w),
      pullPolicy: this.options['image-pull-policy'] === 'IfNotPresent' ? 'IfNotPresent' : 'Never',
      ...(w.kind === 'wasm' ? { annotations: WASM_POD_ANNOTATIONS } : {}),
    };
  }

  /** The pod manifest for one instance of the workload. */
  manifest(name: string, ns: string, w: Workload, node: string | undefined, labels?: Record<string, string>): Record<string, unknown> {
    const { image, pullPolicy, annotations } = this.podImage(w);
    return podManifest({
      name,
      namespace: ns,
      runId: this.runId,
      image,
      args: w.args,
      runtimeClassName: this.rc,
      pullPolicy,
      ...(node ? { nodeName: node } : {}),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    });
  }

  /** Creates one pod; records the client's request/response instants. */
  async createPod(conn: Conn, tracker: PodTracker, ns: string, manifest: Record<string, unknown>, name: string, signal?: AbortSignal): Promise<void> {
    const sent = nowNs();
    // The answer echoes the whole pod: drained unread (only its status and arrival time are used).
    const r = await conn.client.request('POST', `/api/v1/namespaces/${ns}/pods`, {
      body: manifest,
      accept: [409],
      ignoreBody: true,
      ...(signal ? { signal } : {}),
    });
    // 409 only after a retried create whose first attempt went through: the pod exists, the timing includes the retry.
    if (r.status === 409 && r.retries === 0) throw new Error(`pod ${name} already exists`);
    tracker.created(name, sent, r.doneNs);
  }

  coldStart(req: ColdStartRequest): Promise<MetricSpec[]> {
    return coldStart(this, req);
  }
}

export { namespaceFor };
