/**
 * offline at the kube layer: a Deployment serving HTTP, then the configured partition hook cuts the node off from
 * the API server for a set time. Meanwhile the harness keeps sending requests straight to the pod IPs (a local probe
 * that needs no control plane) and, as a change the node must catch up on, scales the Deployment up by one. Then
 * the heal hook; the resync is timed on the client clock: heal → the node's Lease renewed (watch) and heal → the
 * pod created during the partition Ready (watch). The suite runs only the configured commands and always runs the
 * heal command once the cut command was run.
 */
import { CLIENT_MONOTONIC, nowNs } from '../../src/core/clock.js';
import type { MetricSpec } from '../../src/core/metric.js';
import { errorMessage } from '../../src/util/errors.js';
import { deploymentManifest, EndpointsFollower, serviceManifest, waitRollout } from '../../src/kube/deploy.js';
import type { KubeCell } from '../../src/kube/cell.js';
import { sleep } from '../../src/util/sleep.js';
import type { KubeRequest } from '../kube-driver.js';

/** Cutting the node off from the control plane through a configured hook. */
export interface OfflineRequest extends KubeRequest {
  /** Shell commands that cut and heal the partition; nothing else is touched. */
  partitionCmd: string;
  healCmd: string;
  partitionMs: number;
  replicas: number;
  rate: number;
  port: number;
  timeoutMs: number;
}

/** What an offline run found. */
export interface OfflineOutcome {
  notMeasured?: string;
  metrics: MetricSpec[];
  series: Record<string, unknown[]>;
  verdicts: Record<string, unknown>[];
}

export const OFFLINE_METRICS: MetricSpec[] = [
  {
    name: 'heal_to_lease_renewed',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: "heal hook returned → watch sees the node's Lease renewed",
  },
  {
    name: 'heal_to_pending_pod_ready',
    unit: 'ns',
    better: 'lower',
    clock: CLIENT_MONOTONIC,
    description: 'heal hook returned → watch sees Ready the pod created while the node was cut off',
  },
];

/** Runs a hook; resolves with null on success, else one line saying why it failed. */
async function hook(execa: typeof import('execa').execa, cmd: string, timeoutMs: number): Promise<string | null> {
  const r = await execa('sh', ['-c', cmd], { reject: false, timeout: timeoutMs, stdin: 'ignore' });
  if (r.exitCode === 0 && !r.timedOut) return null;
  const tail = `${r.stderr}`.trim().split('\n').pop() ?? '';
  return r.timedOut ? `timed out after ${timeoutMs} ms` : `exit ${r.exitCode ?? r.signal}${tail ? `: ${tail}` : ''}`;
}

interface LeaseLike {
  metadata?: { resourceVersion?: string };
  spec?: { renewTime?: string };
}

/** Runs one partition/heal measurement through the kube cell. */
export async function offline(cell: KubeCell, req: OfflineRequest): Promise<OfflineOutcome> {
  // Loaded here, before any timed step, not at module load: execa and hdr-histogram-js cost idle RSS on every kube path.
  const [{ execa }, { startLoad }] = await Promise.all([import('execa'), import('../../src/load/http-load.js')]);
  const s = await cell.session(req.replicas + 10);
  const c = s.conn.client;
  const series: Record<string, unknown[]> = { events: [] };
  const events = series['events'] as Record<string, unknown>[];
  const none = (why: string): OfflineOutcome => ({ notMeasured: why, metrics: OFFLINE_METRICS, series, verdicts: [] });
  const eps = new EndpointsFollower(c, s.ns, 'web');
  let cut = false;
  let healed = false;
  let stopLease: (() => void) | null = null;
  let stopLoad: (() => Promise<unknown>) | null = null;
  try {
    const node = s.node ?? s.conn.facts.nodes.find((n) => !n.simulated)?.name;
    if (!node) return none('no real node in the cluster to cut off');
    const dpath = `/apis/apps/v1/namespaces/${s.ns}/deployments`;
    await c.request('POST', dpath, {
      body: deploymentManifest({
        name: 'web',
        namespace: s.ns,
        runId: cell.runId,
        ...cell.podImage(req.workload),
        args: [String(req.port)],
        replicas: req.replicas,
        runtimeClassName: cell.rc,
        readinessPort: req.port,
        nodeName: node,
      }),
    });
    await c.request('POST', `/api/v1/namespaces/${s.ns}/services`, { body: serviceManifest('web', s.ns, cell.runId, 80, req.port) });
    await eps.start(req.signal);
    try {
      await waitRollout(c, s.ns, 'web', req.timeoutMs, req.signal);
      await eps.waitReady(req.replicas, req.timeoutMs, req.signal);
    } catch (e) {
      if (req.signal.aborted) throw e;
      return none(`Service web never got ${req.replicas} ready endpoint(s): ${errorMessage(e)}`);
    }
    // Lease renewals of the node, on the client clock.
    const leasePath = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases`;
    const renewals: bigint[] = [];
    const l0 = await c.request<LeaseLike>('GET', `${leasePath}/${node}`, { accept: [404] });
    if (l0.status === 404) return none(`node ${node} has no Lease in kube-node-lease (kubelet without NodeLease)`);
    let lastRenew = l0.body.spec?.renewTime;
    const lw = c.watch<LeaseLike>(
      `${leasePath}?fieldSelector=${encodeURIComponent(`metadata.name=${node}`)}`,
      l0.body.metadata?.resourceVersion ?? '0',
      (ev, at) => {
        const r = ev.object.spec?.renewTime;
        if (r && r !== lastRenew) {
          lastRenew = r;
          renewals.push(at);
        }
      },
      { signal: req.signal },
    );
    stopLease = lw.stop;

    // The probe: requests straight to the pods' IPs, frozen at the cut (the API's view may go stale meanwhile).
    const targets = [...eps.current()];
    const load = startLoad({ rate: req.rate, endpoints: () => targets, timeoutMs: 2000, bucketMs: 1000 });
    stopLoad = () => load.stop();
    const t0 = nowNs();
    const at = (): number => Math.round(Number(nowNs() - t0) / 1e6);
    await sleep(2000, req.signal);
    if (req.signal.aborted) throw new Error('interrupted');
    const before = { sent: load.sent, failed: load.failed };
    cut = true;
    const cutErr = await hook(execa, req.partitionCmd, 30_000);
    events.push({ tMs: at(), event: cutErr ? `partition hook failed: ${cutErr}` : 'partition hook done' });
    if (cutErr) {
      await load.stop();
      return none(`partition hook failed: ${cutErr} (heal hook run; nothing measured)`);
    }
    const cutNs = nowNs();
    const cutRenewals = renewals.length;
    // A change the node must catch up on: one more replica, created while the node is cut off.
    const podsBefore = new Set([...s.tracker.pods.keys()]);
    await c.request('PATCH', `${dpath}/web/scale`, { body: { spec: { replicas: req.replicas + 1 } }, contentType: 'application/merge-patch+json' });
    events.push({ tMs: at(), event: `scaled to ${req.replicas + 1} while cut off` });
    await sleep(req.partitionMs, req.signal);
    const during = { sent: load.sent - before.sent, failed: load.failed - before.failed };
    const newPod = [...s.tracker.pods.keys()].find((n) => !podsBefore.has(n));
    const newReadyDuringCut = newPod ? !!s.tracker.pods.get(newPod)?.timeline.watchReady : false;
    const renewedDuringCut = renewals.slice(cutRenewals).some((r) => Number(r - cutNs) > 1e9); // a renewal already in flight at the cut may land just after it
    const healErr = await hook(execa, req.healCmd, 30_000);
    healed = !healErr;
    const healNs = nowNs();
    events.push({ tMs: at(), event: healErr ? `heal hook failed: ${healErr}` : 'heal hook done' });
    if (healErr) {
      await load.stop();
      return none(`heal hook failed: ${healErr} — the node may still be cut off: run the heal command by hand`);
    }
    // Resync.
    const deadline = Date.now() + req.timeoutMs;
    let leaseNs: bigint | undefined;
    let readyNs: bigint | undefined;
    while (Date.now() < deadline && !req.signal.aborted) {
      leaseNs ??= renewals.find((r) => r > healNs);
      const t = newPod ? s.tracker.pods.get(newPod)?.timeline.watchReady : undefined;
      if (t && t.ns > healNs) readyNs = t.ns;
      if (leaseNs && (readyNs || !newPod)) break;
      await sleep(50);
    }
    await sleep(1000, req.signal);
    const report = await load.stop();
    const afterFail = report.failed - before.failed - during.failed;
    events.push({ tMs: at(), event: 'load stopped' });
    const values: Record<string, number> = {};
    if (leaseNs) values['heal_to_lease_renewed'] = Number(leaseNs - healNs);
    if (readyNs) values['heal_to_pending_pod_ready'] = Number(readyNs - healNs);
    const effective = !newReadyDuringCut && !renewedDuringCut;
    const ok = effective && leaseNs !== undefined && readyNs !== undefined;
    req.onSample(
      ok
        ? { index: 0, warmup: false, ok: true, values }
        : {
            index: 0,
            warmup: false,
            ok: false,
            error: !effective
              ? 'the partition hook did not cut the node off (it renewed its Lease or started the new pod during the cut)'
              : `no resync within ${req.timeoutMs} ms (lease ${leaseNs ? 'renewed' : 'not renewed'}, pending pod ${readyNs ? 'Ready' : 'not Ready'})`,
            values,
          },
    );
    series['load'] = [
      {
        sent: report.sent,
        failed: report.failed,
        failures: report.failures,
        duringCut: during,
        afterHealFailed: afterFail,
        quantilesNs: report.quantilesNs,
        timeline: report.timeline,
        probeTargets: targets.map((t) => `${t.host}:${t.port}`),
      },
    ];
    req.onNote?.(
      `partition ${req.partitionMs} ms on node ${node}: ${during.sent} local requests to ${targets.length} pod IPs, ${during.failed} failed; lease renewed during the cut: ${renewedDuringCut ? 'yes' : 'no'}; pod created during the cut Ready before heal: ${newReadyDuringCut ? 'yes' : 'no'}`,
    );
    const verdicts = [
      {
        claim: 'offline autonomy: workloads keep serving locally while the node is cut off from the API server',
        verdict: req.signal.aborted ? 'not measured (interrupted)' : !effective ? 'not measured' : during.failed === 0 && during.sent > 0 ? 'holds' : 'refuted',
        requestsSent: during.sent,
        requestsFailed: during.failed,
        partitionMs: req.partitionMs,
        rule: 'holds only when the cut was effective (no lease renewal, no new pod started) and not one local request failed during it',
      },
    ];
    return { metrics: OFFLINE_METRICS, series, verdicts };
  } finally {
    if (cut && !healed) {
      const e = await hook(execa, req.healCmd, 30_000);
      if (e) req.onNote?.(`heal hook failed during cleanup: ${e} — run it by hand`);
    }
    await stopLoad?.();
    stopLease?.();
    eps.stop();
    for (const n of await s.close()) req.onNote?.(n);
  }
}
