/**
 * The kube layer's Target: workloads run as pods through the Kubernetes API, one RuntimeClass per runtime.
 * Each cell works in a namespace of its own labelled with the run id and removes it at the end (normal end,
 * error or interrupt); `edgebench cleanup --run ID` removes what a killed run left.
 */
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { nowNs } from '../../core/clock.js';
import type { MetricSpec, Sample } from '../../core/metric.js';
import { quantileSorted, sortedCopy } from '../../core/quantile.js';
import { listPids, procArgs, procComm } from '../../host/procfs.js';
import { WASM_POD_ANNOTATIONS } from '../cri/pod.js';
import type { ToolFingerprint, Workload } from '../../result/types.js';
import type { WasmAbi } from '../../fixtures/workload.js';
import { UserError, errorMessage } from '../../util/errors.js';
import type {
  Availability, AutoscaleOutcome, AutoscaleRequest, ColdStartRequest, HotUpdateOutcome, HotUpdateRequest, OfflineOutcome, OfflineRequest,
  PodDensityOutcome, PodDensityRequest, PodMemoryOutcome, PodMemoryRequest, ScaleOutOutcome, ScaleOutRequest, Target,
} from '../target.js';
import { accessFromOptions, type AccessOptions } from '../../kube/access.js';
import { openConn, type Conn } from '../../kube/connection.js';
import { accountingNotes, PHASES, phaseTable, phaseValue, type PodTimeline } from '../../kube/latency.js';
import { isThisHost, kubeletRuntimeSocket } from '../../kube/node-memory.js';
import { measurePodMemory } from './pod-memory.js';
import { collectedAfter, oldestNodeStats, podWorkingSet, pollSummary, systemContainerWorkingSets } from '../../kube/summary.js';
import { capacityBlockers, type ClusterFacts } from '../../kube/preflight.js';
import { cleanupRun, createNamespace, imageRef, namespaceFor, podManifest, RUN_LABEL } from '../../kube/resources.js';
import { startSimNode, type SimProcess } from './sim-process.js';
import { PodTracker } from '../../kube/tracker.js';
import { autoscale } from './autoscale.js';
import type { KubeCell, KubeSession } from './cell.js';
import { offline } from './offline.js';
import { hotUpdate, scaleOut } from './workloads.js';

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
    this.description = this.rc ? `pods with runtimeClassName ${this.rc} through the Kubernetes API` : 'pods on the node\'s default runtime handler through the Kubernetes API';
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

  /** What is simulated when pods go to the harness's simulated node (recorded in every result of the cell). */
  get simulation(): string | null {
    return this.simulated
      ? `pods ran on edgebench's simulated node (start delay ${num(this.options['sim-start-delay-ms'], 0)} ms): API server, scheduler and harness are real; no kubelet, no container runtime, no workload ran`
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
      return { available: false, reason: `RuntimeClass ${this.rc} not present in cluster ${conn.client.server.origin} (present: ${conn.facts.runtimeClasses.map((r) => r.name).join(', ') || 'none'})`, howToGet: 'K3s creates RuntimeClasses for the containerd shims on its PATH (e.g. containerd-shim-wasmedge-v1)' };
    }
    const tools: ToolFingerprint[] = [{ name: 'kubernetes', version: conn.version, path: conn.client.server.origin, sha256: null }];
    const nodes = conn.facts.nodes.filter((n) => !n.simulated).map((n) => `${n.name} (kubelet ${n.kubeletVersion}, ${n.containerRuntime}, max ${n.allocatablePods} pods)`);
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
    if (this.accepts.includes('wasm')) notes.push(`Wasm pods carry the pod annotation ${Object.entries(WASM_POD_ANNOTATIONS).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    return { available: true, tools, notes };
  }

  async preflight(params: Record<string, string | number>): Promise<void> {
    const conn = await openConn(this.access); // missing/malformed kubeconfig, unreachable, unauthorised → UserError
    if (this.rc && !conn.facts.runtimeClasses.some((r) => r.name === this.rc)) {
      throw new UserError(`RuntimeClass "${this.rc}" does not exist in cluster ${conn.client.server.origin} (present: ${conn.facts.runtimeClasses.map((r) => r.name).join(', ') || 'none'})`);
    }
    const target = num(params['target'], 0);
    const pinned = this.options['node'];
    if (pinned && !conn.facts.nodes.some((n) => n.name === pinned)) throw new UserError(`node "${pinned}" does not exist in cluster ${conn.client.server.origin}`);
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
      const rep = await cleanupRun(conn.client, this.runId, { namespaces: [ns], keepNodes: true }).catch((e: unknown) => ({ remaining: [`cleanup failed: ${errorMessage(e)}`] }));
      if (sim) {
        await sim.stop();
        await conn.client.request('DELETE', `/api/v1/nodes/${sim.name}`, { accept: [404] }).catch(() => undefined);
      }
      if (rep.remaining.length) notes.push(`cleanup incomplete: ${rep.remaining.join(', ')} (run \`edgebench cleanup --run ${this.runId}\`)`);
      return notes;
    };
    try {
      if (this.simulated) {
        sim = await startSimNode(this.access, { name: this.simName(), runId: this.runId, maxPods, startDelayMs: num(this.options['sim-start-delay-ms'], 0) });
      }
      await tracker.start();
    } catch (e) {
      await close();
      throw e;
    }
    return { conn, ns, tracker, node: sim ? sim.name : this.options['node'], close };
  }

  /** The pod manifest for one instance of the workload. */
  manifest(name: string, ns: string, w: Workload, node: string | undefined, labels?: Record<string, string>): Record<string, unknown> {
    const policy = this.options['image-pull-policy'] === 'IfNotPresent' ? 'IfNotPresent' : 'Never';
    return podManifest({
      name, namespace: ns, runId: this.runId, image: this.options['image'] ?? imageRef(w), args: w.args, runtimeClassName: this.rc, pullPolicy: policy,
      ...(node ? { nodeName: node } : {}), ...(labels ? { labels } : {}), ...(w.kind === 'wasm' ? { annotations: WASM_POD_ANNOTATIONS } : {}),
    });
  }

  /** Creates one pod; records the client's request/response instants. */
  async createPod(conn: Conn, tracker: PodTracker, ns: string, manifest: Record<string, unknown>, name: string, signal?: AbortSignal): Promise<void> {
    const sent = nowNs();
    // The answer echoes the whole pod: drained unread (only its status and arrival time are used).
    const r = await conn.client.request('POST', `/api/v1/namespaces/${ns}/pods`, { body: manifest, accept: [409], ignoreBody: true, ...(signal ? { signal } : {}) });
    // 409 only after a retried create whose first attempt went through: the pod exists, the timing includes the retry.
    if (r.status === 409 && r.retries === 0) throw new Error(`pod ${name} already exists`);
    tracker.created(name, sent, r.doneNs);
  }

  private sampleOf(index: number, warmup: boolean, t: PodTimeline | undefined, error?: string): Sample {
    const values: Record<string, number> = {};
    if (t && !error) {
      for (const p of PHASES) {
        const v = phaseValue(t, p);
        if (v.status === 'measured') values[p.name] = v.ns;
      }
    }
    return error ? { index, warmup, ok: false, error, values } : { index, warmup, ok: true, values };
  }

  async coldStart(req: ColdStartRequest): Promise<MetricSpec[]> {
    const s = await this.session(num(this.options['sim-max-pods'], 110));
    const timeoutMs = num(this.options['pod-timeout-ms'], 60_000);
    const timelines: PodTimeline[] = [];
    try {
      const total = req.warmup + req.samples;
      for (let i = 0; i < total && !req.signal.aborted; i++) {
        const name = `cold-${i}`;
        let error: string | undefined;
        try {
          await this.createPod(s.conn, s.tracker, s.ns, this.manifest(name, s.ns, req.workload, s.node), name, req.signal);
          await s.tracker.waitFor(name, 'started', timeoutMs, req.signal);
          const p = s.tracker.pods.get(name);
          if (p && p.phase === 'Running') await s.tracker.waitFor(name, 'ready', 10_000, req.signal).catch(() => undefined);
          // A container that started and at once exited non-zero (a short fixture, or a Wasm module its runtime could not
          // run, e.g. without the module.wasm.image annotation) did not start the workload: a failed sample, not a start.
          if (p?.failure) throw new Error(p.failure);
        } catch (e) {
          error = errorMessage(e);
        }
        const t = s.tracker.pods.get(name)?.timeline;
        if (i >= req.warmup && t && !error) timelines.push(t);
        req.onSample(this.sampleOf(i, i < req.warmup, t, error));
        // One pod at a time on a quiet node: wait until it is gone before the next start.
        await s.conn.client.request('DELETE', `/api/v1/namespaces/${s.ns}/pods/${name}`, { body: { gracePeriodSeconds: 0 }, accept: [404], ignoreBody: true }).catch(() => undefined);
        await s.tracker.waitFor(name, 'deleted', timeoutMs, req.signal).catch(() => undefined);
      }
      const table = phaseTable(timelines);
      for (const n of accountingNotes(table.accounting)) req.onNote?.(n);
      const w = s.conn.client.stats;
      req.onNote?.(`API wire: ${w.requests} requests, ${w.retries} retried (${w.throttled} throttled 429, ${w.serverErrors} 5xx), ${w.watchRestarts} watch restarts`);
      return table.metrics.length ? table.metrics : PHASES.slice(0, 1).map((p) => ({ name: p.name, unit: 'ns', better: 'lower', clock: { source: 'client-monotonic', resolution: 1 }, description: p.description }));
    } finally {
      for (const n of await s.close()) req.onNote?.(n);
    }
  }

  /** Node and per-pod memory from the kubelet summary API, when the node is real. */
  private async memory(conn: Conn, node: string | undefined, ns: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const real = conn.facts.nodes.find((n) => (node ? n.name === node : !n.simulated));
    if (!real || real.simulated) return { memory: 'not measured: simulated node has no kubelet' };
    try {
      // The kubelet's stats are collected every 10–15 s: wait (≤ 20 s) for node stats collected after the step ended.
      const stepEnd = Date.now();
      const sum = await pollSummary(conn.client, real.name, (x) => collectedAfter(oldestNodeStats(x), stepEnd), stepEnd + 20_000, signal);
      const statsTime = oldestNodeStats(sum) ?? null;
      const pods = (sum.pods ?? []).filter((p) => p.podRef.namespace === ns).map((p) => podWorkingSet(p) ?? 0).filter((v) => v > 0);
      const sorted = sortedCopy(pods);
      return {
        nodeWorkingSetBytes: sum.node.memory?.workingSetBytes ?? null,
        systemContainers: systemContainerWorkingSets(sum),
        podWorkingSetBytesP50: pods.length ? quantileSorted(sorted, 0.5) : null,
        podWorkingSetBytesMax: pods.length ? sorted[sorted.length - 1] : null,
        podsWithMemory: pods.length,
        memoryClock: 'kubelet summary API (cAdvisor working set, 1 s timestamps)',
        memoryStatsTime: statsTime,
        memoryStatsFresh: collectedAfter(statsTime, stepEnd),
      };
    } catch (e) {
      return { memory: `not measured: ${errorMessage(e)}` };
    }
  }

  podMemory(req: PodMemoryRequest): Promise<PodMemoryOutcome> {
    return measurePodMemory(this, req);
  }

  hotUpdate(req: HotUpdateRequest): Promise<HotUpdateOutcome> {
    return hotUpdate(this, req);
  }

  scaleOut(req: ScaleOutRequest): Promise<ScaleOutOutcome> {
    return scaleOut(this, req);
  }

  autoscale(req: AutoscaleRequest): Promise<AutoscaleOutcome> {
    return autoscale(this, req);
  }

  offline(req: OfflineRequest): Promise<OfflineOutcome> {
    return offline(this, req);
  }

  async podDensity(req: PodDensityRequest): Promise<PodDensityOutcome> {
    setMaxListeners(0, req.signal); // one abort listener per pod awaited in a step (thousands)
    const s = await this.session(num(this.options['sim-max-pods'], req.target + req.latencySamples + 10));
    const steps: Record<string, unknown>[] = [];
    let reached = 0;
    let stoppedBecause: string | null = null;
    const latencyTimelines: PodTimeline[] = [];
    let index = 0;
    try {
      // Token bucket: `burst` creations at once, refilled at `qps`.
      let tokens = req.burst;
      let last = Date.now();
      const take = async (): Promise<void> => {
        for (;;) {
          const now = Date.now();
          tokens = Math.min(req.burst, tokens + ((now - last) / 1000) * req.qps);
          last = now;
          if (tokens >= 1) {
            tokens -= 1;
            return;
          }
          await new Promise((r) => setTimeout(r, Math.ceil(((1 - tokens) / req.qps) * 1000)));
        }
      };
      while (reached < req.target && !req.signal.aborted && !stoppedBecause) {
        const end = Math.min(req.target, reached + req.step);
        const t0 = nowNs();
        const names: string[] = [];
        const creates: Promise<void>[] = [];
        for (let i = reached; i < end && !req.signal.aborted; i++) {
          await take();
          const name = `sat-${i}`;
          names.push(name);
          const created = this.createPod(s.conn, s.tracker, s.ns, this.manifest(name, s.ns, req.workload, s.node, { 'edgebench.io/phase': 'saturation' }), name, req.signal);
          // Handled at once: a create failing (or aborted by SIGINT) while later ones still wait for a token must not be
          // an unhandled rejection; Promise.allSettled below still sees it.
          created.catch(() => undefined);
          creates.push(created);
        }
        const created = await Promise.allSettled(creates);
        const createFail = created.find((c) => c.status === 'rejected');
        if (createFail) {
          stoppedBecause = `create failed: ${errorMessage((createFail as PromiseRejectedResult).reason)}`;
        } else {
          const waits = await Promise.allSettled(names.map((n) => s.tracker.waitFor(n, 'started', req.stepTimeoutMs, req.signal)));
          const fail = waits.find((w) => w.status === 'rejected');
          if (fail) stoppedBecause = errorMessage((fail as PromiseRejectedResult).reason);
        }
        const started = names.filter((n) => s.tracker.pods.get(n)?.timeline.watchStarted);
        reached += started.length;
        const walls = sortedCopy(started.map((n) => phaseValue(s.tracker.pods.get(n)!.timeline, PHASES[2]!)).flatMap((v) => (v.status === 'measured' ? [v.ns] : [])));
        for (const n of names) req.onSample(this.sampleOf(index++, true, s.tracker.pods.get(n)?.timeline, s.tracker.pods.get(n)?.timeline.watchStarted ? undefined : 'not started in its step'));
        steps.push({
          pods: reached,
          stepSeconds: Number(nowNs() - t0) / 1e9,
          podStartupP50Ms: walls.length ? quantileSorted(walls, 0.5) / 1e6 : null,
          podStartupP99Ms: walls.length ? quantileSorted(walls, 0.99) / 1e6 : null,
          clock: 'client-monotonic (create sent → watch shows containers running)',
          ...(await this.memory(s.conn, s.node, s.ns, req.signal)),
        });
        if (stoppedBecause) req.onNote?.(`saturation stopped at ${reached} of ${req.target} pods: ${stoppedBecause}`);
      }
      if (!stoppedBecause && !req.signal.aborted) {
        for (let j = 0; j < req.latencySamples && !req.signal.aborted; j++) {
          const gap = new Promise((r) => setTimeout(r, 1000 / req.latencyQps));
          const name = `lat-${j}`;
          let error: string | undefined;
          try {
            await this.createPod(s.conn, s.tracker, s.ns, this.manifest(name, s.ns, req.workload, s.node, { 'edgebench.io/phase': 'latency' }), name, req.signal);
            await s.tracker.waitFor(name, 'started', req.stepTimeoutMs, req.signal);
          } catch (e) {
            error = errorMessage(e);
          }
          const t = s.tracker.pods.get(name)?.timeline;
          if (t && !error) latencyTimelines.push(t);
          req.onSample(this.sampleOf(index++, false, t, error));
          await gap;
        }
      }
      const table = phaseTable(latencyTimelines);
      for (const n of accountingNotes(table.accounting)) req.onNote?.(`latency pods: ${n}`);
      const w = s.conn.client.stats;
      req.onNote?.(`API wire: ${w.requests} requests, ${w.retries} retried (${w.throttled} throttled 429, ${w.serverErrors} 5xx), ${w.watchRestarts} watch restarts`);
      if (s.node && this.simulated) req.onNote?.(`pods ran on simulated node ${s.node} (start delay ${num(this.options['sim-start-delay-ms'], 0)} ms): control plane and harness only, no runtime`);
      return { metrics: table.metrics, steps, reached, stoppedBecause };
    } finally {
      for (const n of await s.close()) req.onNote?.(n);
    }
  }
}

export { namespaceFor };
