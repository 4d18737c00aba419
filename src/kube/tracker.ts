/**
 * Watches a run's pods and events in its namespace and keeps, per pod, the instants of its startup:
 * client-monotonic arrival times of watch events and the cluster's own timestamps (with their resolution).
 * Keeps only instants, never whole objects, so 3000 pods cost little memory.
 */
import { nowNs } from '../core/clock.js';
import type { KubeClient, WatchEvent } from './http.js';
import { apiInstant, clientInstant, type InstantName, type PodTimeline } from './latency.js';

/** The parts of a Pod the tracker reads. */
export interface PodLike {
  metadata?: { name?: string; resourceVersion?: string; creationTimestamp?: string; deletionTimestamp?: string };
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    podIP?: string;
    reason?: string;
    message?: string;
    conditions?: { type: string; status: string; lastTransitionTime?: string; reason?: string; message?: string }[];
    containerStatuses?: { name: string; ready?: boolean; state?: { running?: { startedAt?: string }; terminated?: { startedAt?: string; exitCode?: number; reason?: string }; waiting?: { reason?: string; message?: string } } }[];
  };
}

/** The parts of a core/v1 Event the tracker reads. */
interface EventLike {
  metadata?: { resourceVersion?: string };
  involvedObject?: { kind?: string; name?: string };
  reason?: string;
  message?: string;
  type?: string;
  eventTime?: string | null;
  firstTimestamp?: string | null;
  reportingComponent?: string;
  source?: { component?: string };
}

/** State of one tracked pod. */
export interface TrackedPod {
  timeline: PodTimeline;
  phase: string;
  deleted: boolean;
  /** The pod's IP once the watch has shown one. */
  ip?: string;
  /** Client instant the watch showed the pod deleted. */
  deletedNs?: bigint;
  /** Client instant the watch first showed the pod's deletionTimestamp (Terminating: the kubelet sends SIGTERM next). */
  terminatingNs?: bigint;
  /** Why the pod cannot start (Failed phase, waiting reason like ErrImageNeverPull, FailedScheduling). */
  failure?: string;
}

type Waiter = { name: string; until: 'scheduled' | 'started' | 'ready' | 'deleted'; resolve: () => void; reject: (e: Error) => void };

const WAIT_FAIL_REASONS = /ErrImageNeverPull|ErrImagePull|ImagePullBackOff|InvalidImageName|CreateContainerError|CreateContainerConfigError|RunContainerError|CrashLoopBackOff/;

/** Pods (and their events) of one namespace and label selector. */
export class PodTracker {
  readonly pods = new Map<string, TrackedPod>();
  /** Pending waits by pod name: an event touches only its own pod's waiters (no scan, no array copy per event). */
  private waiters = new Map<string, Waiter[]>();
  private stops: (() => void)[] = [];
  /** Handler time per watch event (ns), for the harness-cost benchmark. */
  readonly handlerNs: number[] = [];
  recordHandlerTime = false;
  /** Reasons watch streams restarted (dropped, 410 Gone...). */
  readonly restarts: string[] = [];

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    private readonly labelSelector: string,
  ) {}

  private pod(name: string): TrackedPod {
    let p = this.pods.get(name);
    if (!p) {
      p = { timeline: {}, phase: 'Pending', deleted: false };
      this.pods.set(name, p);
    }
    return p;
  }

  private set(p: TrackedPod, k: InstantName, v: PodTimeline[InstantName]): void {
    if (v && !p.timeline[k]) p.timeline[k] = v;
  }

  /** Folds one observed pod state into the pod's timeline. */
  observePod(obj: PodLike, atNs: bigint, type: string): void {
    const name = obj.metadata?.name;
    if (!name) return;
    const p = this.pod(name);
    const st = obj.status ?? {};
    p.phase = st.phase ?? p.phase;
    if (type === 'DELETED' && !p.deleted) {
      p.deleted = true;
      p.deletedNs = atNs;
    }
    if (st.podIP) p.ip = st.podIP;
    if (obj.metadata?.deletionTimestamp && p.terminatingNs === undefined) p.terminatingNs = atNs;
    this.set(p, 'created', apiInstant(obj.metadata?.creationTimestamp, 'api-server', 'metadata.creationTimestamp (1 s)'));
    if (obj.spec?.nodeName) this.set(p, 'watchScheduled', clientInstant(atNs, 'watch event arrival'));
    const conds = st.conditions ?? [];
    const cond = (t: string): { status: string; lastTransitionTime?: string } | undefined => conds.find((c) => c.type === t);
    const sandbox = cond('PodReadyToStartContainers') ?? cond('PodHasNetwork');
    if (sandbox?.status === 'True') this.set(p, 'sandboxReady', apiInstant(sandbox.lastTransitionTime, 'kubelet', 'PodReadyToStartContainers.lastTransitionTime (1 s)'));
    const cs = st.containerStatuses ?? [];
    if (cs.length > 0 && cs.every((c) => c.state?.running?.startedAt || c.state?.terminated?.startedAt)) {
      const times = cs.map((c) => (c.state?.running?.startedAt ?? c.state?.terminated?.startedAt) as string).sort();
      this.set(p, 'containersStarted', apiInstant(times[times.length - 1], 'kubelet', 'containerStatuses[].startedAt, last container (1 s)'));
      this.set(p, 'watchStarted', clientInstant(atNs, 'watch event arrival'));
    }
    const ready = cond('Ready');
    if (ready?.status === 'True') {
      this.set(p, 'ready', apiInstant(ready.lastTransitionTime, 'kubelet', 'Ready.lastTransitionTime (1 s)'));
      this.set(p, 'watchReady', clientInstant(atNs, 'watch event arrival'));
    }
    if (!p.failure) {
      if (st.phase === 'Failed') p.failure = `pod ${name} failed: ${st.reason ?? ''} ${st.message ?? ''}`.trim();
      const waiting = cs.find((c) => c.state?.waiting?.reason && WAIT_FAIL_REASONS.test(c.state.waiting.reason));
      if (waiting) p.failure = `pod ${name}: ${waiting.state?.waiting?.reason}: ${waiting.state?.waiting?.message ?? ''}`.trim();
      const term = cs.find((c) => c.state?.terminated && c.state.terminated.exitCode !== 0);
      if (term) p.failure = `pod ${name}: container ${term.name} exited ${term.state?.terminated?.exitCode} (${term.state?.terminated?.reason ?? ''})`;
    }
    this.settle(name);
  }

  /** Folds one event (scheduler Scheduled / FailedScheduling, kubelet Started) into the pod's timeline. */
  observeEvent(ev: EventLike): void {
    if (ev.involvedObject?.kind !== 'Pod' || !ev.involvedObject.name) return;
    const p = this.pod(ev.involvedObject.name);
    if (ev.reason === 'Scheduled') {
      const micro = apiInstant(ev.eventTime, 'scheduler-event', 'scheduler event eventTime (MicroTime, 1 µs)');
      this.set(p, 'scheduled', micro ?? apiInstant(ev.firstTimestamp, 'scheduler-event', 'scheduler event firstTimestamp (1 s)'));
    } else if (ev.reason === 'Started' && !p.timeline.containersStarted) {
      // kubelet Started event: only used when it carries a MicroTime (newer kubelets); 1 s firstTimestamp adds nothing to startedAt.
      const micro = ev.eventTime ? apiInstant(ev.eventTime, 'kubelet', 'kubelet Started event eventTime (1 µs)') : undefined;
      if (micro) this.set(p, 'containersStarted', micro);
    } else if (ev.reason === 'FailedScheduling' && !p.failure) {
      p.failure = `pod ${ev.involvedObject.name} unschedulable: ${ev.message ?? ''}`.trim();
      this.settle(ev.involvedObject.name);
    }
  }

  /** Lists then watches pods and events; resolves once both watches are established from a consistent list. */
  async start(signal?: AbortSignal): Promise<void> {
    const sel = encodeURIComponent(this.labelSelector);
    const podsPath = `/api/v1/namespaces/${this.namespace}/pods?labelSelector=${sel}`;
    const evPath = `/api/v1/namespaces/${this.namespace}/events?fieldSelector=${encodeURIComponent('involvedObject.kind=Pod')}`;
    const relistPods = async (): Promise<string> => {
      const l = await this.client.request<{ metadata: { resourceVersion: string }; items: PodLike[] }>('GET', podsPath);
      const at = nowNs();
      for (const item of l.body.items) this.observePod(item, at, 'ADDED');
      return l.body.metadata.resourceVersion;
    };
    const relistEvents = async (): Promise<string> => {
      const l = await this.client.request<{ metadata: { resourceVersion: string }; items: EventLike[] }>('GET', evPath);
      for (const item of l.body.items) this.observeEvent(item);
      return l.body.metadata.resourceVersion;
    };
    const [prv, erv] = await Promise.all([relistPods(), relistEvents()]);
    const onRestart = (why: string): void => void this.restarts.push(why);
    const pw = this.client.watch<PodLike>(podsPath, prv, (ev: WatchEvent<PodLike>, at) => {
      const t0 = this.recordHandlerTime ? nowNs() : 0n;
      if (ev.type !== 'BOOKMARK') this.observePod(ev.object, at, ev.type);
      if (this.recordHandlerTime) this.handlerNs.push(Number(nowNs() - t0));
    }, { signal, onGone: relistPods, onRestart });
    const ew = this.client.watch<EventLike>(evPath, erv, (ev) => {
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.observeEvent(ev.object);
    }, { signal, onGone: relistEvents, onRestart });
    this.stops.push(pw.stop, ew.stop);
    pw.done.catch((e: Error) => this.failAll(e));
    ew.done.catch((e: Error) => this.failAll(e));
  }

  private reached(p: TrackedPod | undefined, until: Waiter['until']): boolean {
    if (!p) return false;
    switch (until) {
      case 'scheduled': return !!p.timeline.watchScheduled;
      case 'started': return !!p.timeline.watchStarted;
      case 'ready': return !!p.timeline.watchReady;
      case 'deleted': return p.deleted;
    }
  }

  private settle(name: string): void {
    const ws = this.waiters.get(name);
    if (!ws) return;
    const p = this.pods.get(name);
    const left = ws.filter((w) => {
      if (this.reached(p, w.until)) {
        w.resolve();
        return false;
      }
      if (p?.failure && w.until !== 'deleted') {
        w.reject(new Error(p.failure));
        return false;
      }
      return true;
    });
    this.setWaiters(name, left);
  }

  private setWaiters(name: string, ws: Waiter[]): void {
    if (ws.length) this.waiters.set(name, ws);
    else this.waiters.delete(name);
  }

  private failAll(e: Error): void {
    const all = [...this.waiters.values()].flat();
    this.waiters.clear();
    for (const w of all) w.reject(e);
  }

  /** Resolves when the pod reaches the state; rejects on its failure, the timeout, or the signal. */
  waitFor(name: string, until: Waiter['until'], timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const p = this.pods.get(name);
    if (this.reached(p, until)) return Promise.resolve();
    if (p?.failure && until !== 'deleted') return Promise.reject(new Error(p.failure));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.setWaiters(name, (this.waiters.get(name) ?? []).filter((w) => w !== waiter));
        signal?.removeEventListener('abort', onAbort);
        const pod = this.pods.get(name);
        reject(new Error(`timeout: pod ${name} not ${until} after ${timeoutMs} ms (phase ${pod?.phase ?? 'unseen'})`));
      }, timeoutMs);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new Error('interrupted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const waiter: Waiter = {
        name,
        until,
        resolve: () => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort); resolve(); },
        reject: (e) => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort); reject(e); },
      };
      const ws = this.waiters.get(name);
      if (ws) ws.push(waiter);
      else this.waiters.set(name, [waiter]);
    });
  }

  /** Records the client's create request times for a pod. */
  created(name: string, sentNs: bigint, ackedNs: bigint): void {
    const p = this.pod(name);
    p.timeline.createSent = clientInstant(sentNs, 'create request sent');
    p.timeline.createAcked = clientInstant(ackedNs, 'create response received');
  }

  /** Stops the watches. */
  stop(): void {
    for (const s of this.stops) s();
    this.stops = [];
  }
}
