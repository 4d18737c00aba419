/**
 * The memory suite at the kube layer: N pods started together and left running, then
 *   - per pod: the kubelet's working set (summary API, any cluster) and, when the harness runs on the node, the pod's
 *     cgroup charge and the PSS of its processes plus its containerd shim (/proc, cgroupfs);
 *   - the control plane: RSS/PSS of K3s (server/agent + its containerd) or of the upstream components (/proc, on the
 *     node only), and the kubelet's system containers (summary API), read once per interval.
 * Wasm pods and container pods are compared by running this per RuntimeClass (`--runtime runc,wasmedge`).
 */
import { setMaxListeners } from 'node:events';
import type { MetricSpec } from '../../src/core/metric.js';
import { errorMessage } from '../../src/util/errors.js';
import type { KubeCell } from '../../src/kube/cell.js';
import {
  findControlPlane,
  isThisHost,
  podLocalMemory,
  readControlPlane,
  scanProcesses,
  type ControlPlaneMemory,
  type PodLocalMemory,
} from '../../src/kube/node-memory.js';
import { collectedAfter, podStatsTime, podWorkingSet, pollSummary, readSummary, systemContainerWorkingSets, type Summary } from '../../src/kube/summary.js';
import { sleep } from '../../src/util/sleep.js';
import type { KubeRequest } from '../kube-driver.js';

/** Pods started together and left running; their memory and the control plane's read once settled. */
export interface PodMemoryRequest extends KubeRequest {
  /** Pods started (warm-up pods included); each is one sample. */
  pods: number;
  /** The first `warmup` pods are marked warm-up (they absorb first-start costs such as page cache). */
  warmup: number;
  /** Readings of the control plane's memory, one per `intervalMs`; each is one sample. */
  controlPlaneSamples: number;
  intervalMs: number;
  /** Longest wait for the pods to be ready and for the kubelet to report them. */
  timeoutMs: number;
}

/** What a pod-memory run found. */
export interface PodMemoryOutcome {
  /** Why it could not be measured at all (e.g. a simulated node); nothing else is set then. */
  notMeasured?: string;
  metrics: MetricSpec[];
  series: Record<string, unknown[]>;
}

const SUMMARY_DETAIL = 'kubelet summary API through the node proxy (cAdvisor/CRI stats, collected every ≤ 15 s; byte values)';

/** Metric declarations of the kube memory suite. */
export const POD_MEMORY_METRICS: Record<string, MetricSpec> = {
  working_set_bytes: {
    name: 'working_set_bytes',
    unit: 'bytes',
    better: 'lower',
    clock: { source: 'kubelet', resolution: 4096, detail: `${SUMMARY_DETAIL}; pod memory.workingSetBytes, or the sum over its containers` },
    description: 'working set of one pod as the kubelet reports it (what eviction and `kubectl top` see)',
  },
  cgroup_bytes: {
    name: 'cgroup_bytes',
    unit: 'bytes',
    better: 'lower',
    clock: {
      source: 'cgroup',
      resolution: 4096,
      detail:
        "memory.usage_in_bytes (v1) / memory.current (v2) of the pod cgroup, or the sum of its containers' cgroups (sandbox included) when the kubelet makes no pod cgroups; on the node only",
    },
    description: 'memory charged to one pod',
  },
  pss_bytes: {
    name: 'pss_bytes',
    unit: 'bytes',
    better: 'lower',
    clock: {
      source: 'procfs',
      resolution: 1024,
      detail:
        "/proc/PID/smaps_rollup Pss summed over the pod's processes (sandbox and containers: every descendant of its containerd shim) plus the shim; on the node only",
    },
    description: "proportional set size of one pod's processes plus its containerd shim",
  },
  shim_pss_bytes: {
    name: 'shim_pss_bytes',
    unit: 'bytes',
    better: 'lower',
    clock: {
      source: 'procfs',
      resolution: 1024,
      detail: "/proc/PID/smaps_rollup Pss of the pod's containerd shim (the parent of its containers' init processes); on the node only",
    },
    description: "proportional set size of one pod's containerd shim",
  },
  control_plane_rss: {
    name: 'control_plane_rss',
    unit: 'bytes',
    better: 'lower',
    clock: {
      source: 'procfs',
      resolution: 1024,
      detail:
        "/proc/PID/smaps_rollup Rss summed over the control plane's processes on the node (K3s: k3s-server/k3s-agent + its containerd; upstream: kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kubelet, kube-proxy + the kubelet's containerd); shims and pods excluded",
    },
    description: 'resident memory of the control plane and node agent, one reading per interval',
  },
  control_plane_pss: {
    name: 'control_plane_pss',
    unit: 'bytes',
    better: 'lower',
    clock: { source: 'procfs', resolution: 1024, detail: 'as control_plane_rss, Pss instead of Rss (shared pages divided among their users)' },
    description: 'proportional set size of the control plane and node agent',
  },
  k3s_rss: {
    name: 'k3s_rss',
    unit: 'bytes',
    better: 'lower',
    clock: {
      source: 'procfs',
      resolution: 1024,
      detail:
        '/proc/PID/smaps_rollup Rss of the k3s-server / k3s-agent processes and the containerd K3s runs as their child (what system.slice/k3s.service holds, shims excluded)',
    },
    description: 'resident memory of K3s (server/agent and its containerd)',
  },
  kubelet_working_set_bytes: {
    name: 'kubelet_working_set_bytes',
    unit: 'bytes',
    better: 'lower',
    clock: { source: 'kubelet', resolution: 4096, detail: `${SUMMARY_DETAIL}; node.systemContainers "kubelet"` },
    description: "working set of the kubelet's system container (present when the kubelet knows its cgroup)",
  },
  runtime_working_set_bytes: {
    name: 'runtime_working_set_bytes',
    unit: 'bytes',
    better: 'lower',
    clock: { source: 'kubelet', resolution: 4096, detail: `${SUMMARY_DETAIL}; node.systemContainers "runtime"` },
    description: "working set of the container runtime's system container (present when the kubelet knows its cgroup)",
  },
};

/**
 * The on-node figures of one pod's sample. pss_bytes is the pod's processes plus its shim: it is left out when either
 * is missing (a process gone, no shim found), never completed with 0.
 */
export function localPodValues(lm: PodLocalMemory): Record<string, number> {
  const values: Record<string, number> = {};
  if (lm.cgroupBytes !== null) values['cgroup_bytes'] = lm.cgroupBytes;
  if (lm.pssBytes !== null && lm.shimPssBytes !== null) values['pss_bytes'] = lm.pssBytes + lm.shimPssBytes;
  if (lm.shimPssBytes !== null) values['shim_pss_bytes'] = lm.shimPssBytes;
  return values;
}

/** Why a control-plane reading has no figure of its own: components gone since they were found, or null. */
function cpGoneReason(row: Record<string, unknown>): string | null {
  const gone = row['gone'] as string[] | undefined;
  return gone ? `control-plane process gone: ${gone.join(', ')}` : null;
}

/** Our pods as the API lists them. */
interface PodInfo {
  name: string;
  uid: string;
  node: string | null;
  containerIds: string[];
}

/** Runs the kube memory measurement for one RuntimeClass. */
export async function measurePodMemory(target: KubeCell, req: PodMemoryRequest): Promise<PodMemoryOutcome> {
  if (target.simulated) return { notMeasured: 'a simulated node has no kubelet and no runtime: pod memory needs a real node', metrics: [], series: {} };
  setMaxListeners(0, req.signal); // one abort listener per pod awaited at once
  const s = await target.session(req.pods + 10);
  const note = (l: string): void => req.onNote?.(l);
  const used = new Set<string>();
  const use = (...names: string[]): void => names.forEach((n) => used.add(n));
  const podRows: Record<string, unknown>[] = [];
  const cpRows: Record<string, unknown>[] = [];
  let index = 0;
  try {
    const timeoutMs = req.timeoutMs;
    const names = Array.from({ length: req.pods }, (_, i) => `mem-${i}`);
    const failed = new Map<string, string>();
    for (const n of names) {
      if (req.signal.aborted) break;
      await target
        .createPod(s.conn, s.tracker, s.ns, target.manifest(n, s.ns, req.workload, s.node, { 'edgebench.io/phase': 'memory' }), n, req.signal)
        .catch((e: unknown) => failed.set(n, errorMessage(e)));
    }
    const waits = await Promise.allSettled(
      names
        .filter((n) => !failed.has(n))
        .map((n) =>
          s.tracker
            .waitFor(n, 'ready', timeoutMs, req.signal)
            .then(() => n)
            .catch((e: unknown) => Promise.reject(Object.assign(new Error(errorMessage(e)), { pod: n }))),
        ),
    );
    for (const w of waits) if (w.status === 'rejected') failed.set((w.reason as { pod: string }).pod, errorMessage(w.reason));
    if (req.signal.aborted) return { metrics: [], series: {} };
    const readyWallMs = Date.now();
    // Who runs where, with which containers.
    const list = await s.conn.client.request<{
      items: { metadata: { name: string; uid: string }; spec?: { nodeName?: string }; status?: { containerStatuses?: { containerID?: string }[] } }[];
    }>('GET', `/api/v1/namespaces/${s.ns}/pods`);
    const pods = new Map<string, PodInfo>(
      list.body.items.map((p) => [
        p.metadata.name,
        {
          name: p.metadata.name,
          uid: p.metadata.uid,
          node: p.spec?.nodeName ?? null,
          containerIds: (p.status?.containerStatuses ?? []).map((c) => (c.containerID ?? '').replace(/^[a-z0-9-]+:\/\//, '')),
        },
      ]),
    );
    const nodes = [...new Set([...pods.values()].map((p) => p.node).filter((n): n is string => !!n))];
    const local = new Set(
      nodes.filter((n) => {
        const f = s.conn.facts.nodes.find((x) => x.name === n);
        return f ? isThisHost(f) : false;
      }),
    );
    // Wait until the kubelet reports every ready pod with stats collected after all of them were ready.
    const deadline = Date.now() + timeoutMs;
    const wanted = names.filter((n) => !failed.has(n));
    const fresh = (sum: Summary | undefined, p: PodInfo): boolean => {
      const sp = sum?.pods?.find((x) => x.podRef.uid === p.uid);
      return !!sp && podWorkingSet(sp) !== null && collectedAfter(podStatsTime(sp), readyWallMs);
    };
    const summaries = new Map<string, Summary>();
    for (const n of nodes) {
      const onNode = wanted.map((w) => pods.get(w)).filter((p): p is PodInfo => p?.node === n);
      try {
        summaries.set(n, await pollSummary(s.conn.client, n, (sum) => onNode.every((p) => fresh(sum, p)), deadline, req.signal));
      } catch (e) {
        note(`summary API of node ${n}: ${errorMessage(e)}`);
      }
    }
    const missing = wanted.filter((n) => {
      const p = pods.get(n);
      return !p?.node || !fresh(summaries.get(p.node), p);
    });
    if (missing.length) note(`${missing.length} pod(s) had no fresh kubelet stats within ${timeoutMs} ms: ${missing.slice(0, 5).join(', ')}`);
    const scan = local.size ? scanProcesses() : null;
    const leftOut: string[] = [];
    const noShim: string[] = [];
    for (const n of names) {
      const warmup = index < req.warmup;
      const p = pods.get(n);
      const err = failed.get(n);
      if (err || !p) {
        req.onSample({ index: index++, warmup, ok: false, error: err ?? 'pod vanished', values: {} });
        continue;
      }
      const sp = p.node ? summaries.get(p.node)?.pods?.find((x) => x.podRef.uid === p.uid) : undefined;
      const values: Record<string, number> = {};
      const ws = sp && p.node && fresh(summaries.get(p.node), p) ? podWorkingSet(sp) : null;
      if (ws !== null) values['working_set_bytes'] = ws;
      const lm = scan && p.node && local.has(p.node) ? podLocalMemory(p.uid, p.containerIds, scan) : null;
      if (lm) {
        Object.assign(values, localPodValues(lm));
        if (lm.unreadable) leftOut.push(`${n}: ${lm.unreadable.join('; ')}`);
        else if (lm.shimPid === null) noShim.push(n);
      }
      use(...Object.keys(values));
      podRows.push({
        pod: n,
        uid: p.uid,
        node: p.node,
        warmup,
        workingSetBytes: ws,
        ...(lm
          ? {
              cgroupBytes: lm.cgroupBytes,
              cgroupSource: lm.cgroupSource,
              podPssBytes: lm.pssBytes,
              shimPssBytes: lm.shimPssBytes,
              processes: lm.processes,
              ...(lm.unreadable ? { unreadable: lm.unreadable } : {}),
            }
          : {}),
      });
      const ok = Object.keys(values).length > 0;
      req.onSample(
        ok
          ? { index: index++, warmup, ok, values }
          : { index: index++, warmup, ok, error: 'no memory figure: kubelet stats not fresh and pod not on this host', values },
      );
    }
    if (leftOut.length)
      note(`${leftOut.length} pod(s) had on-node figures left out of their samples (read after the /proc scan): ${leftOut.slice(0, 5).join(' | ')}`);
    if (noShim.length)
      note(
        `pss_bytes, shim_pss_bytes left out for ${noShim.length} pod(s): no containerd shim found above their containers (${noShim.slice(0, 5).join(', ')})`,
      );
    const localRow = podRows.find((r) => r['cgroupSource']);
    if (localRow) note(`pod cgroup_bytes from ${String(localRow['cgroupSource'])}; pss_bytes = pod processes (sandbox + containers) + containerd shim`);
    if (!local.size)
      note(
        `cgroup_bytes, pss_bytes, control_plane_rss not measured: the harness does not run on node ${nodes.join(', ') || '(none)'} (no address of it is this host's); run edgebench on the node to read /proc and cgroups`,
      );
    // The control plane, read once per interval while the pods run.
    const cpNode = nodes.find((n) => local.has(n)) ?? nodes[0];
    // Its processes are found once (a /proc scan, socket lookups); each reading then reads their smaps_rollup.
    const cpFound = scan ? findControlPlane(scan) : null;
    let lastCp: ControlPlaneMemory | null = null;
    for (let i = 0; i < req.controlPlaneSamples && !req.signal.aborted; i++) {
      const values: Record<string, number> = {};
      const row: Record<string, unknown> = { reading: i };
      if (cpFound) {
        const cp = readControlPlane(cpFound);
        lastCp = cp;
        // A component gone since it was found: the sums would not be the control plane's, so they are left out.
        if (cp.gone) {
          row['gone'] = cp.gone;
          note(`control-plane reading ${i}: ${cp.gone.join(', ')} gone; control_plane_rss, control_plane_pss, k3s_rss left out of it`);
        }
        if (cp.components.length && !cp.gone) {
          values['control_plane_rss'] = cp.components.reduce((a, c) => a + c.rssBytes, 0);
          values['control_plane_pss'] = cp.components.reduce((a, c) => a + c.pssBytes, 0);
          // Under K3s the containerd counted is K3s's own child; no upstream component runs beside it.
          if (cp.distribution === 'k3s')
            values['k3s_rss'] = cp.components.filter((c) => c.component.startsWith('k3s') || c.component === 'containerd').reduce((a, c) => a + c.rssBytes, 0);
        }
        row['components'] = Object.fromEntries(cp.components.map((c) => [`${c.component}[${c.pid}]`, { rssBytes: c.rssBytes, pssBytes: c.pssBytes }]));
      }
      if (cpNode) {
        try {
          const sum = await readSummary(s.conn.client, cpNode);
          const sys = systemContainerWorkingSets(sum);
          if (sys['kubelet'] !== undefined) values['kubelet_working_set_bytes'] = sys['kubelet'];
          if (sys['runtime'] !== undefined) values['runtime_working_set_bytes'] = sys['runtime'];
          row['systemContainers'] = sys;
          row['nodeWorkingSetBytes'] = sum.node.memory?.workingSetBytes ?? null;
        } catch (e) {
          row['summaryError'] = errorMessage(e);
        }
      }
      use(...Object.keys(values));
      const ok = Object.keys(values).length > 0;
      const why = cpGoneReason(row) ?? String(row['summaryError'] ?? 'no control-plane figure');
      req.onSample(ok ? { index: index++, warmup: false, ok, values } : { index: index++, warmup: false, ok, error: why, values });
      cpRows.push(row);
      if (i + 1 < req.controlPlaneSamples) await sleep(req.intervalMs, req.signal);
    }
    if (lastCp) {
      note(
        `control plane on ${cpNode}: ${lastCp.distribution ?? 'none found'}; ${lastCp.components.map((c) => `${c.component} (pid ${c.pid})`).join(', ') || 'no processes'}; containerd ${lastCp.runtimeFoundBy}`,
      );
      if (lastCp.distribution !== 'k3s')
        note(`k3s_rss not measured: no k3s-server or k3s-agent process on node ${cpNode} (control plane here: ${lastCp.distribution ?? 'not found'})`);
    }
    if (!used.has('kubelet_working_set_bytes'))
      note('kubelet_working_set_bytes not measured: the kubelet reports no "kubelet" system container (it is given no --kubelet-cgroups)');
    if (!used.has('runtime_working_set_bytes'))
      note('runtime_working_set_bytes not measured: the kubelet reports no "runtime" system container (it is given no --runtime-cgroups)');
    const metrics = Object.values(POD_MEMORY_METRICS).filter((m) => used.has(m.name));
    return { metrics, series: { pods: podRows, controlPlane: cpRows } };
  } finally {
    for (const n of await s.close()) note(n);
  }
}
