/** Pod sandbox and container configs edgebench sends: run-labelled, host network by default. */
import type { ContainerConfig, PodSandboxConfig } from './types.js';

/** Label every edgebench sandbox and container carries: the run id (cleanup selects on it). */
export const RUN_LABEL = 'edgebench.run';
/** Label naming the harness, so `cleanup --all` finds edgebench's pods and nothing else. */
export const OWNER_LABEL = 'edgebench.owner';
/** Label holding the pid of the edgebench process that created the object (cleanup spares live runs). */
export const PID_LABEL = 'edgebench.pid';
/** CRI namespace (pod metadata) edgebench's pods live in. */
export const POD_NAMESPACE = 'edgebench';
/** cgroupfs parent under which each pod gets its own cgroup: /edgebench-cri/<run>/<pod>. */
export const CGROUP_ROOT = 'edgebench-cri';

/**
 * The annotation crun's Wasm handler reads (containers/crun docs/wasm-wasi-on-kubernetes.md; K3s's crun path): with
 * "compat-smart" a container whose entrypoint is a Wasm module runs on the Wasm engine, any other natively.
 */
export const WASM_VARIANT_ANNOTATION = 'module.wasm.image/variant';
/** Annotations of a Wasm pod on a crun+WasmEdge handler. */
export const WASM_POD_ANNOTATIONS: Readonly<Record<string, string>> = { [WASM_VARIANT_ANNOTATION]: 'compat-smart' };

/** How a pod's network is set up. */
export type PodNetwork = 'host' | 'cni';

/** Labels selecting a run's objects. */
export function runLabels(runId: string): Record<string, string> {
  return { [RUN_LABEL]: runId, [OWNER_LABEL]: 'edgebench' };
}

/** Labels set on a run's objects: the selectors plus the creating process's pid. */
export function objectLabels(runId: string): Record<string, string> {
  return { ...runLabels(runId), [PID_LABEL]: String(process.pid) };
}

/** A DNS-label-safe token of a run id. */
export function safeToken(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'run';
}

/** The cgroup parent (cgroupfs syntax) of one pod of a run. */
export function podCgroupParent(runId: string, podName: string): string {
  return `/${CGROUP_ROOT}/${safeToken(runId)}/${podName}`;
}

/** Sandbox config of pod number `index` of a run; `annotations` (e.g. crun's Wasm switch) go on the sandbox. */
export function sandboxConfig(runId: string, index: number, network: PodNetwork, annotations: Readonly<Record<string, string>> = {}): PodSandboxConfig {
  const name = `eb-${safeToken(runId)}-${index}`;
  return {
    metadata: { name, uid: `${name}-uid`, namespace: POD_NAMESPACE, attempt: 0 },
    hostname: network === 'host' ? '' : name,
    labels: objectLabels(runId),
    annotations: { ...annotations },
    linux: {
      cgroupParent: podCgroupParent(runId, name),
      securityContext: { namespaceOptions: { network: network === 'host' ? 'NODE' : 'POD', pid: 'CONTAINER', ipc: 'POD' } },
    },
  };
}

/** Config of the workload container in a pod: the image's entrypoint with `args`, and the runtime's `annotations`. */
export function containerConfig(runId: string, image: string, args: string[], annotations: Readonly<Record<string, string>> = {}): ContainerConfig {
  return {
    metadata: { name: 'workload', attempt: 0 },
    image: { image },
    args,
    labels: objectLabels(runId),
    annotations: { ...annotations },
  };
}
