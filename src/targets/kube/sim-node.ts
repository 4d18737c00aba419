/**
 * A kwok-style simulated node of edgebench's own, against a real control plane: registers a Node (with a taint
 * only edgebench pods tolerate), watches the pods bound to it, marks each Running/Ready after a configured delay,
 * and finalizes deleted pods. It says nothing about a real runtime: it exists to drive the API server, scheduler
 * and the harness itself at densities the VM cannot hold (3000 pods).
 */
import type { KubeClient } from '../../kube/http.js';
import { MANAGED_BY, RUN_LABEL } from '../../kube/resources.js';

/** How the simulated node behaves. */
export interface SimNodeOptions {
  name: string;
  runId: string;
  /** Pods the node advertises as allocatable. */
  maxPods: number;
  /** Delay from seeing a pod bound to the node to reporting its containers running (ms). */
  startDelayMs: number;
  /** At most this many status patches in flight. */
  concurrency?: number;
}

interface SimPod {
  metadata: { name: string; namespace: string; uid: string; deletionTimestamp?: string; resourceVersion?: string };
  spec: { nodeName?: string; containers: { name: string; image: string }[] };
  status?: { phase?: string };
}

/** RFC 3339 at 1 s, as the API stores metav1.Time. */
const nowRfc3339 = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** The simulated node. */
export class SimNode {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly done = new Set<string>();
  private queue: (() => Promise<void>)[] = [];
  private inFlight = 0;
  private stopWatch: (() => void) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private ipCounter = 0;
  /** Pods reported running, pods finalized, patch failures. */
  readonly counts = { started: 0, finalized: 0, errors: 0 };

  constructor(
    private readonly client: KubeClient,
    readonly opts: SimNodeOptions,
  ) {}

  private nodeStatus(): Record<string, unknown> {
    const now = nowRfc3339();
    const cond = (type: string, status: string, reason: string) => ({ type, status, reason, message: 'edgebench simulated node', lastHeartbeatTime: now, lastTransitionTime: now });
    return {
      capacity: { cpu: '64', memory: '256Gi', pods: String(this.opts.maxPods) },
      allocatable: { cpu: '64', memory: '256Gi', pods: String(this.opts.maxPods) },
      conditions: [cond('Ready', 'True', 'KubeletReady'), cond('MemoryPressure', 'False', 'Sim'), cond('DiskPressure', 'False', 'Sim'), cond('PIDPressure', 'False', 'Sim')],
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: this.opts.name }],
      // Port 1 on loopback: the node proxy fails at once instead of reaching anything.
      daemonEndpoints: { kubeletEndpoint: { Port: 1 } },
      nodeInfo: { machineID: '', systemUUID: '', bootID: '', kernelVersion: '', osImage: 'edgebench simulated node', containerRuntimeVersion: 'sim://0', kubeletVersion: 'edgebench-sim', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
    };
  }

  /** Registers the node (or takes over an existing one of the same name) and starts serving its pods. */
  async start(): Promise<void> {
    const labels = { [RUN_LABEL]: this.opts.runId, ...MANAGED_BY, 'kubernetes.io/hostname': this.opts.name, 'kubernetes.io/os': 'linux', 'edgebench.io/simulated': 'true', type: 'kwok' };
    await this.client.request('POST', '/api/v1/nodes', {
      body: { apiVersion: 'v1', kind: 'Node', metadata: { name: this.opts.name, labels }, spec: { taints: [{ key: 'edgebench.io/simulated', value: 'true', effect: 'NoSchedule' }] }, status: this.nodeStatus() },
      accept: [409],
    });
    // The TaintNodesByCondition admission plugin gives every new Node the not-ready taint; a kubelet's node loses
    // it through the node lifecycle controller, which need not run: keep only the simulated-node taint.
    await this.client.request('PATCH', `/api/v1/nodes/${this.opts.name}`, {
      body: { spec: { taints: [{ key: 'edgebench.io/simulated', value: 'true', effect: 'NoSchedule' }] } },
      contentType: 'application/merge-patch+json',
    });
    await this.patchNodeStatus();
    this.heartbeat = setInterval(() => void this.patchNodeStatus().catch(() => this.counts.errors++), 20_000);
    this.heartbeat.unref();
    const path = `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${this.opts.name}`)}`;
    const list = async (): Promise<string> => {
      const l = await this.client.request<{ metadata: { resourceVersion: string }; items: SimPod[] }>('GET', path);
      for (const p of l.body.items) this.onPod(p);
      return l.body.metadata.resourceVersion;
    };
    const rv = await list();
    const w = this.client.watch<SimPod>(path, rv, (ev) => {
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.onPod(ev.object);
      else if (ev.type === 'DELETED') this.forget(ev.object);
    }, { onGone: list });
    this.stopWatch = w.stop;
  }

  private async patchNodeStatus(): Promise<void> {
    await this.client.request('PATCH', `/api/v1/nodes/${this.opts.name}/status`, { body: { status: this.nodeStatus() }, contentType: 'application/strategic-merge-patch+json' });
  }

  private key(p: SimPod): string {
    return `${p.metadata.namespace}/${p.metadata.name}/${p.metadata.uid}`;
  }

  private forget(p: SimPod): void {
    const k = this.key(p);
    const t = this.pending.get(k);
    if (t) clearTimeout(t);
    this.pending.delete(k);
    this.done.delete(k);
  }

  private onPod(p: SimPod): void {
    const k = this.key(p);
    if (p.metadata.deletionTimestamp) {
      this.forget(p);
      this.enqueue(async () => {
        await this.client.request('DELETE', `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`, {
          body: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: p.metadata.uid } },
          accept: [404, 409],
        });
        this.counts.finalized++;
      });
      return;
    }
    if (this.done.has(k) || this.pending.has(k) || p.status?.phase === 'Running') return;
    this.pending.set(k, setTimeout(() => {
      this.pending.delete(k);
      this.done.add(k);
      this.enqueue(() => this.markRunning(p));
    }, this.opts.startDelayMs));
  }

  private async markRunning(p: SimPod): Promise<void> {
    const now = nowRfc3339();
    const n = this.ipCounter++;
    const c = (type: string) => ({ type, status: 'True', lastTransitionTime: now, lastProbeTime: null });
    await this.client.request('PATCH', `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}/status`, {
      contentType: 'application/merge-patch+json',
      accept: [404, 409],
      body: {
        status: {
          phase: 'Running',
          hostIP: '127.0.0.1',
          podIP: `10.254.${(n >> 8) & 255}.${n & 255}`,
          startTime: now,
          conditions: [c('Initialized'), c('Ready'), c('ContainersReady'), c('PodScheduled')],
          containerStatuses: p.spec.containers.map((ct) => ({
            name: ct.name, image: ct.image, imageID: `sim://${ct.image}`, containerID: `sim://${p.metadata.uid}/${ct.name}`,
            ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } },
          })),
        },
      },
    });
    this.counts.started++;
  }

  private enqueue(job: () => Promise<void>): void {
    this.queue.push(job);
    this.pump();
  }

  private pump(): void {
    const limit = this.opts.concurrency ?? 32;
    while (this.inFlight < limit && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.inFlight++;
      job().catch(() => this.counts.errors++).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** Stops serving (the Node object stays until cleanup deletes it, after its pods). */
  stop(): void {
    this.stopWatch?.();
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}
