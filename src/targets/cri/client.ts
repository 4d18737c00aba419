/** A CRI runtime.v1 client over gRPC on a unix socket (@grpc/grpc-js + the vendored api.proto). */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { repoPath } from '../../util/paths.js';
import type {
  Container,
  ContainerConfig,
  ContainerStatus,
  ImageStatusResponse,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxStatus,
  StatusResponse,
  VersionResponse,
} from './types.js';

/** Path of the vendored CRI protocol definition. */
export const CRI_PROTO = repoPath('proto', 'k8s.io', 'cri-api', 'runtime', 'v1', 'api.proto');

type Callback = (err: grpc.ServiceError | null, res: unknown) => void;
type Unary = (req: object, meta: grpc.Metadata, opts: grpc.CallOptions, cb: Callback) => grpc.ClientUnaryCall;
type Stub = grpc.Client & Record<string, Unary>;

let loaded: grpc.GrpcObject | null = null;

/** Loads (once) the runtime.v1 package from the vendored proto. */
function criPackage(): grpc.GrpcObject {
  if (!loaded) {
    const def = protoLoader.loadSync(CRI_PROTO, { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true });
    loaded = grpc.loadPackageDefinition(def);
  }
  return loaded;
}

/** A gRPC error with its status code name, e.g. "NOT_FOUND: …". */
export class CriError extends Error {
  override readonly name = 'CriError';
  constructor(
    readonly method: string,
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(`${method}: ${grpc.status[code] ?? code}: ${details}`);
  }
}

/** True when the error says the thing is not there (gRPC NOT_FOUND). */
export function isNotFound(e: unknown): boolean {
  return e instanceof CriError && e.code === grpc.status.NOT_FOUND;
}

/** Promise-returning wrapper of the CRI RuntimeService and ImageService on one connection. */
export class CriClient {
  private readonly runtime: Stub;
  private readonly image: Stub;

  /** Connects lazily to `socket` (a path); calls time out after `timeoutMs`. */
  constructor(
    readonly socket: string,
    private readonly timeoutMs = 120_000,
  ) {
    const v1 = (criPackage()['runtime'] as grpc.GrpcObject)['v1'] as grpc.GrpcObject;
    const Runtime = v1['RuntimeService'] as grpc.ServiceClientConstructor;
    const Image = v1['ImageService'] as grpc.ServiceClientConstructor;
    const target = `unix://${socket}`;
    const opts: grpc.ChannelOptions = { 'grpc.max_receive_message_length': 64 * 1024 * 1024 };
    this.runtime = new Runtime(target, grpc.credentials.createInsecure(), opts) as unknown as Stub;
    // Same channel for both services.
    this.image = new Image(target, grpc.credentials.createInsecure(), { ...opts, channelOverride: this.runtime.getChannel() }) as unknown as Stub;
  }

  private call<T>(stub: Stub, method: string, req: object, timeoutMs = this.timeoutMs): Promise<T> {
    const fn = stub[method];
    if (typeof fn !== 'function') return Promise.reject(new Error(`CRI method ${method} not in proto`));
    return new Promise<T>((resolve, reject) => {
      fn.call(stub, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) reject(new CriError(method, err.code, err.details || err.message));
        else resolve(res as T);
      });
    });
  }

  /** Runtime name, version and CRI API version. */
  version(timeoutMs?: number): Promise<VersionResponse> {
    return this.call(this.runtime, 'Version', { version: 'v1' }, timeoutMs);
  }

  /** Runtime conditions; with verbose, containerd adds its CRI config as JSON under info.config. */
  status(verbose = true): Promise<StatusResponse> {
    return this.call(this.runtime, 'Status', { verbose });
  }

  /** Creates and starts a pod sandbox; resolves with its id. */
  async runPodSandbox(config: PodSandboxConfig, runtimeHandler: string): Promise<string> {
    const r = await this.call<{ podSandboxId: string }>(this.runtime, 'RunPodSandbox', { config, runtimeHandler });
    return r.podSandboxId;
  }

  /** Stops a sandbox (its containers are killed, network torn down). */
  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await this.call(this.runtime, 'StopPodSandbox', { podSandboxId });
  }

  /** Removes a stopped sandbox and its containers. */
  async removePodSandbox(podSandboxId: string): Promise<void> {
    await this.call(this.runtime, 'RemovePodSandbox', { podSandboxId });
  }

  /** A sandbox's status, and with verbose containerd's info (pid, runtime, config) as JSON strings. */
  podSandboxStatus(podSandboxId: string, verbose = false): Promise<{ status: PodSandboxStatus; info: Record<string, string> }> {
    return this.call(this.runtime, 'PodSandboxStatus', { podSandboxId, verbose });
  }

  /** Sandboxes whose labels include all of `labels`. */
  async listPodSandbox(labels: Record<string, string> = {}): Promise<PodSandbox[]> {
    const r = await this.call<{ items: PodSandbox[] }>(this.runtime, 'ListPodSandbox', { filter: { labelSelector: labels } });
    return r.items;
  }

  /** Creates a container in a sandbox; resolves with its id. */
  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const r = await this.call<{ containerId: string }>(this.runtime, 'CreateContainer', { podSandboxId, config, sandboxConfig });
    return r.containerId;
  }

  /** Starts a created container. */
  async startContainer(containerId: string): Promise<void> {
    await this.call(this.runtime, 'StartContainer', { containerId });
  }

  /** Stops a container, killing it after `timeoutS` seconds (0: at once). */
  async stopContainer(containerId: string, timeoutS = 0): Promise<void> {
    await this.call(this.runtime, 'StopContainer', { containerId, timeout: String(timeoutS) });
  }

  /** Removes a container. */
  async removeContainer(containerId: string): Promise<void> {
    await this.call(this.runtime, 'RemoveContainer', { containerId });
  }

  /** A container's status (state, ns timestamps, exit code). */
  async containerStatus(containerId: string): Promise<ContainerStatus> {
    const r = await this.call<{ status: ContainerStatus }>(this.runtime, 'ContainerStatus', { containerId, verbose: false });
    return r.status;
  }

  /** A container's status with containerd's verbose info (info.info: JSON holding the OCI runtimeSpec, pid, ...). */
  async containerStatusVerbose(containerId: string): Promise<{ status: ContainerStatus; info: Record<string, string> }> {
    const r = await this.call<{ status: ContainerStatus; info: Record<string, string> }>(this.runtime, 'ContainerStatus', { containerId, verbose: true });
    return { status: r.status, info: r.info ?? {} };
  }

  /** Containers whose labels include all of `labels`. */
  async listContainers(labels: Record<string, string> = {}): Promise<Container[]> {
    const r = await this.call<{ containers: Container[] }>(this.runtime, 'ListContainers', { filter: { labelSelector: labels } });
    return r.containers;
  }

  /** The image's id if containerd's CRI knows `ref`, else null. */
  async imageStatus(ref: string): Promise<ImageStatusResponse['image']> {
    const r = await this.call<ImageStatusResponse>(this.image, 'ImageStatus', { image: { image: ref }, verbose: false });
    return r.image && r.image.id ? r.image : null;
  }

  /** Closes the connection. */
  close(): void {
    this.runtime.close();
    this.image.close();
  }
}
