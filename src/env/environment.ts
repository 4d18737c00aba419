/**
 * Every environment variable edgebench reads, in one place: one line of documentation each (ENV_VARS) and typed
 * getters (`env`). Nothing else in src/ reads `process.env` (test/targets/options.test.ts enforces it).
 *
 * Child processes: a spawn that needs "our environment plus X" gets it from `childEnv({ X: y })`, which copies the
 * whole environment into the child's; that builds a child's environment and reads no setting, so it is not listed.
 */

/** A source of variables (the process's environment by default; tests pass their own). */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** The variables read by name, each with what it sets. `EDGEBENCH_<RUNTIME>_BIN` is read through `env.bin`. */
export const ENV_VARS = {
  EDGEBENCH_RUNTIME_CACHE: 'folder of scripts/build-runtimes.sh builds (default /var/cache/edgebench/runtimes)',
  EDGEBENCH_LAUNCHER: 'path of the eb-launch timer (default build/eb-launch)',
  EDGEBENCH_OCI_HELPER: 'path of the eb-oci helper (default build/eb-oci)',
  EDGEBENCH_OCI_STATE: 'state root of oci-layer runs (default /run/edgebench/oci)',
  EDGEBENCH_DOCKER_RUNTIME: 'oci/docker: the docker runtime (--opt runtime; default runc)',
  EDGEBENCH_CONTAINERD_RUNTIME: 'oci/containerd: the containerd runtime (--opt runtime; default io.containerd.runc.v2)',
  EDGEBENCH_CONTAINERD_SOCK: 'containerd socket for images and oci/containerd (default /run/containerd/containerd.sock)',
  EDGEBENCH_CONTAINERD_NAMESPACE: 'containerd namespace of edgebench (default edgebench)',
  EDGEBENCH_DOCKER_SOCK: 'docker socket (default /var/run/docker.sock)',
  DOCKER_API_VERSION: 'docker API version the docker CLI is told to speak (default 1.41)',
  EDGEBENCH_CRI_SOCKET: 'cri: the CRI socket (--opt socket; default /run/edgebench/cri/containerd.sock)',
  EDGEBENCH_CRI_NETWORK: 'cri: pod network, host or cni (--opt network; default host)',
  EDGEBENCH_RUN_ID: 'cri: run id labelling pods when the harness gives none',
  EDGEBENCH_KUBECONFIG: 'kube: kubeconfig file (--kubeconfig; else KUBECONFIG, ~/.kube/config, in-cluster)',
  EDGEBENCH_KUBE_CONTEXT: 'kube: kubeconfig context (--context)',
  EDGEBENCH_KUBE_SERVER: 'kube: API server URL replacing the kubeconfig\'s (--opt server)',
  KUBECONFIG: 'kube: kubeconfig files (the first is used)',
  KUBERNETES_SERVICE_HOST: 'kube: set inside a pod; in-cluster access',
  KUBERNETES_SERVICE_PORT: 'kube: in-cluster API server port (default 443)',
  LD_LIBRARY_PATH: 'oci/crun-wasm: kept after the chosen WasmEdge build\'s lib folder',
  PATH: 'where tools are looked up',
  XDG_CACHE_HOME: 'cache of provisioning artifacts (default ~/.cache)',
  COLUMNS: 'terminal width for tables when stdout is not a TTY',
  EDGEBENCH_DEBUG: 'print the stack of an internal error',
  EDGEBENCH_REQUIRE_SYSTEM: 'tests: 1 makes system tests fail instead of skip when their system is missing',
} as const;

/** A variable edgebench reads by name. */
export type EnvVar = keyof typeof ENV_VARS;

/** The process's environment (the default source). */
export function processEnv(): EnvSource {
  return process.env;
}

/** A variable's value (undefined when unset; empty counts as set). */
export function readVar(name: EnvVar, from: EnvSource = process.env): string | undefined {
  return from[name];
}

/** The variable naming a runtime's binary: EDGEBENCH_<RUNTIME>_BIN (upper case, "-" as "_"). */
export function binVar(runtime: string): string {
  return `EDGEBENCH_${runtime.toUpperCase().replace(/-/g, '_')}_BIN`;
}

/** The environment for a child process: this process's, with `extra` on top. */
export function childEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/** Typed getters, one per setting. */
export const env = {
  /** The runtime's binary override (EDGEBENCH_<RUNTIME>_BIN), unset or empty → undefined. */
  bin: (runtime: string): string | undefined => process.env[binVar(runtime)] || undefined,
  /** The runtime-build cache folder, when set and not empty. */
  runtimeCache: (): string | undefined => process.env['EDGEBENCH_RUNTIME_CACHE'] || undefined,
  launcher: (): string | undefined => readVar('EDGEBENCH_LAUNCHER'),
  ociHelper: (): string | undefined => readVar('EDGEBENCH_OCI_HELPER'),
  ociState: (): string | undefined => readVar('EDGEBENCH_OCI_STATE'),
  containerdSock: (): string | undefined => readVar('EDGEBENCH_CONTAINERD_SOCK'),
  containerdNamespace: (): string | undefined => readVar('EDGEBENCH_CONTAINERD_NAMESPACE'),
  dockerSock: (): string | undefined => readVar('EDGEBENCH_DOCKER_SOCK'),
  dockerApiVersion: (): string | undefined => readVar('DOCKER_API_VERSION'),
  criRunId: (): string | undefined => readVar('EDGEBENCH_RUN_ID'),
  kubeconfigList: (): string | undefined => readVar('KUBECONFIG'),
  inClusterHost: (): string | undefined => readVar('KUBERNETES_SERVICE_HOST'),
  inClusterPort: (): string | undefined => readVar('KUBERNETES_SERVICE_PORT'),
  ldLibraryPath: (): string | undefined => readVar('LD_LIBRARY_PATH'),
  path: (): string => readVar('PATH') ?? '',
  xdgCacheHome: (): string | undefined => readVar('XDG_CACHE_HOME'),
  debug: (): boolean => !!readVar('EDGEBENCH_DEBUG'),
  requireSystem: (): boolean => readVar('EDGEBENCH_REQUIRE_SYSTEM') === '1',
};
