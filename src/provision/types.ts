/** Data types of provisioning: artifacts, host facts, configuration and plan steps. */

/** CPU architectures the catalogue knows (K3s/Go naming). */
export const ARCHES = ['amd64', 'arm64'] as const;
export type Arch = (typeof ARCHES)[number];

/** Provisioning profiles. */
export const PROFILES = ['plain', 'density-3000', 'gpu'] as const;
export type Profile = (typeof PROFILES)[number];

/** One downloadable file, pinned (or not yet) by sha256. */
export interface Artifact {
  /** Stable name, e.g. "k3s v1.31.2+k3s1 binary (linux/amd64)". */
  name: string;
  /** Where the catalogue pins it, e.g. "k3s.v1.31.2+k3s1.binary.amd64". */
  pinPath: string;
  url: string;
  /** Lower-case hex sha256, or null when the catalogue has only a placeholder. */
  sha256: string | null;
  /** The file that pins it when that is not the catalogue (the --config file, for crunWasmedge). */
  pinFile?: string;
}

/** An artifact whose checksum is known. */
export type PinnedArtifact = Artifact & { sha256: string };

/** What the planner needs to know about the target host (read-only probes, no changes). */
export interface HostFacts {
  os: string;
  arch: string;
  isRoot: boolean;
  /** Whether `sudo -n` works (used when not root). */
  sudo: boolean;
  /** "v2", "v1", "hybrid" or "none". */
  cgroup: string;
  /** systemd or openrc present (the K3s installer needs one). */
  initSystem: 'systemd' | 'openrc' | 'none';
  /** nvidia-ctk on PATH. */
  nvidiaCtk: boolean;
  /** Path of nvidia-container-runtime where K3s looks for it, or null. */
  nvidiaRuntime: string | null;
  /** `k3s --version` first line when K3s is already installed, else null. */
  k3sVersion: string | null;
  /** sha256 of the K3s config file already on the host, else null. */
  k3sConfigSha256: string | null;
  /** cluster-cidr / node-cidr-mask-size of an existing K3s config (for the "set before join" rule). */
  existingClusterCidr: string | null;
  existingNodeCidrMaskSize: number | null;
}

/** K3s settings that go into /etc/rancher/k3s/config.yaml. */
export interface K3sSettings {
  maxPods: number | null;
  nodeCidrMaskSize: number | null;
  clusterCidr: string | null;
  nodeLabels: string[];
  /** Further config.yaml keys, written as given (K3s flag names without dashes). */
  extra: Record<string, unknown>;
}

/** An OCI image tar to preload into K3s's containerd. */
export interface PreloadImage {
  /** Path on the controller. */
  file: string;
  /** Image reference inside the tar (checked with `ctr images ls`), if known. */
  ref: string | null;
}

/** One K3s × WasmEdge × shim combination. */
export interface VersionSet {
  k3s: string;
  wasmedge: string;
  shim: string;
}

/** Everything one provisioning run needs. */
export interface ProvisionConfig {
  profile: Profile;
  versions: VersionSet;
  /** Prefix under which every target path lives ("/" on a real box; a temp dir in tests). */
  root: string;
  /** Directory for the containerd shim (must be on K3s's PATH). */
  shimDir: string;
  /** Install prefix for WasmEdge (bin/, lib/, include/, lib/wasmedge/ for plugins). */
  wasmedgePrefix: string;
  k3s: K3sSettings;
  /** Install the WASI-NN ggml plugin (CUDA build when the profile is gpu). */
  wasiNn: boolean;
  /** Place K3s's airgap image bundle in agent/images so K3s never pulls its own images. */
  airgapImages: boolean;
  images: PreloadImage[];
  /** Optional crun built with WasmEdge (a binary you supply, pinned; `pinnedIn`: the config file that names it). */
  crunWasmedge: { url: string; sha256: string | null; pinnedIn?: string } | null;
  /** Seconds to wait for the K3s API to answer /readyz. */
  readyTimeoutS: number;
}

/**
 * One idempotent step. `check` is a POSIX sh script that exits 0 when the step is already done;
 * `run` does it. Kinds:
 * - fetch: the controller downloads `artifact` into its cache and verifies the sha256;
 * - upload: the controller copies the cached artifact to `dest` on the target;
 * - shell: `run` executes on the target;
 * - verify: `check` must pass (nothing to run); failing it stops the run.
 */
export interface Step {
  id: string;
  title: string;
  kind: 'fetch' | 'upload' | 'shell' | 'verify';
  check: string;
  run: string;
  artifact?: PinnedArtifact | Artifact;
  dest?: string;
  mode?: string;
  /** For upload steps: a file list (for teardown) the destination is appended to. */
  list?: string;
  /** For verify steps: how long to keep re-checking before failing. */
  retryS?: number;
}

/** A plan: ordered steps plus notes the renderer prints (warnings, refusals in dry-run). */
export interface Plan {
  title: string;
  /** Prepended to every target script (set -eu, PATH). */
  preamble: string;
  steps: Step[];
  notes: string[];
  /** Artifacts without a pinned sha256: a real run refuses before touching anything. */
  unpinned: Artifact[];
}
