/**
 * TypeScript shapes of the CRI runtime.v1 messages edgebench sends and reads (a subset of
 * proto/k8s.io/cri-api/runtime/v1/api.proto), as @grpc/proto-loader presents them:
 * camelCase fields, int64 as decimal strings, enums as their names.
 */

/** int64 as proto-loader gives it (longs: String). */
export type Int64 = string;

export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface NamespaceOption {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
}

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt?: number;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  logDirectory?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  linux?: {
    cgroupParent?: string;
    securityContext?: { namespaceOptions?: NamespaceOption };
  };
}

export interface ContainerConfig {
  metadata: { name: string; attempt?: number };
  image: { image: string };
  command?: string[];
  args?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  logPath?: string;
  linux?: {
    securityContext?: { namespaceOptions?: NamespaceOption };
  };
}

/** A pod sandbox as ListPodSandbox returns it (the fields read here). */
export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata | null;
  state: PodSandboxState;
  createdAt: Int64;
  labels: Record<string, string>;
  runtimeHandler: string;
}

/** PodSandboxStatus: the fields read here are PodSandbox's. */
export type PodSandboxStatus = PodSandbox;

export interface ContainerStatus {
  id: string;
  state: ContainerState;
  createdAt: Int64;
  startedAt: Int64;
  finishedAt: Int64;
  exitCode: number;
  reason: string;
  message: string;
  labels: Record<string, string>;
}

export interface Container {
  id: string;
  podSandboxId: string;
  state: ContainerState;
  createdAt: Int64;
  labels: Record<string, string>;
}

export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

export interface VersionResponse {
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

export interface StatusResponse {
  status: { conditions: RuntimeCondition[] } | null;
  info: Record<string, string>;
}

export interface ImageStatusResponse {
  image: { id: string; repoTags: string[]; size: Int64 } | null;
}
