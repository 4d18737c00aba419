/** What containerd's CRI says about itself: version, configured runtime handlers, sandbox image. */
import { fingerprintTool, which } from '../../env/tools.js';
import type { ToolFingerprint } from '../../result/types.js';
import { UserError, errorMessage } from '../../util/errors.js';
import { CriClient } from './client.js';

/** One runtime under test at the CRI layer: the handler name a pod asks for, and what it needs on the host. */
export interface CriRuntimeSpec {
  /** edgebench runtime name (also the K3s RuntimeClass handler name). */
  runtime: string;
  /** containerd runtime handler (plugins."io.containerd.grpc.v1.cri".containerd.runtimes.<handler>). */
  handler: string;
  /** Binary or shim that must be on PATH for the handler to work. */
  requires: string;
  accepts: ReadonlyArray<'wasm' | 'native'>;
  description: string;
  howToGet: string;
}

/** A configured handler as containerd reports it (Status verbose, info.config). */
export interface HandlerConfig {
  runtimeType: string;
  binaryName: string | null;
}

/** The parts of containerd's CRI config edgebench needs. */
export interface CriRuntimeInfo {
  runtimeName: string;
  runtimeVersion: string;
  apiVersion: string;
  sandboxImage: string;
  handlers: Record<string, HandlerConfig>;
  defaultHandler: string;
  /** Runtime conditions that are false (e.g. NetworkReady) with their reasons. */
  notReady: string[];
}

/** Reads containerd's CRI config (JSON under Status' info.config) into CriRuntimeInfo. */
export function parseCriConfig(configJson: string): Pick<CriRuntimeInfo, 'sandboxImage' | 'handlers' | 'defaultHandler'> {
  const cfg = JSON.parse(configJson) as {
    sandboxImage?: string;
    containerd?: { defaultRuntimeName?: string; runtimes?: Record<string, { runtimeType?: string; options?: { BinaryName?: string } | null }> };
  };
  const handlers: Record<string, HandlerConfig> = {};
  for (const [name, r] of Object.entries(cfg.containerd?.runtimes ?? {})) {
    handlers[name] = { runtimeType: r.runtimeType ?? '', binaryName: r.options?.BinaryName || null };
  }
  return { sandboxImage: cfg.sandboxImage ?? '', handlers, defaultHandler: cfg.containerd?.defaultRuntimeName ?? '' };
}

/** Asks the runtime on `socket` for its version and CRI config; throws on RPC failure. */
export async function criRuntimeInfo(client: CriClient): Promise<CriRuntimeInfo> {
  const v = await client.version(10_000);
  const s = await client.status(true);
  const config = s.info['config'];
  const parsed = config ? parseCriConfig(config) : { sandboxImage: '', handlers: {}, defaultHandler: '' };
  const notReady = (s.status?.conditions ?? []).filter((c) => !c.status).map((c) => `${c.type}: ${c.reason} ${c.message}`.trim());
  return { runtimeName: v.runtimeName, runtimeVersion: v.runtimeVersion, apiVersion: v.runtimeApiVersion, ...parsed, notReady };
}

/** Why `spec` cannot be measured on this runtime, or null; `hostHas` says whether its binary is on PATH. */
export function handlerProblem(spec: CriRuntimeSpec, info: CriRuntimeInfo, hostHas: boolean): { kind: 'absent' | 'misconfigured'; reason: string } | null {
  if (info.handlers[spec.handler]) return null;
  const have = Object.keys(info.handlers).join(', ') || 'none';
  if (!hostHas) return { kind: 'absent', reason: `${spec.requires} not on PATH, and ${info.runtimeName} has no runtime handler "${spec.handler}" (has: ${have})` };
  return {
    kind: 'misconfigured',
    reason: `${info.runtimeName} has no runtime handler "${spec.handler}" (has: ${have}) although ${spec.requires} is installed: add plugins."io.containerd.grpc.v1.cri".containerd.runtimes.${spec.handler} to its config (scripts/cri-containerd.sh does)`,
  };
}

/** Fingerprints containerd, the handler's OCI runtime binary and the runc shim. */
export async function criTools(info: CriRuntimeInfo, spec: CriRuntimeSpec): Promise<ToolFingerprint[]> {
  const tools: ToolFingerprint[] = [];
  const ctrd = which('containerd');
  tools.push(ctrd ? { ...(await fingerprintTool('containerd', ctrd)), version: `${info.runtimeName} ${info.runtimeVersion} (CRI ${info.apiVersion})` } : { name: info.runtimeName, version: info.runtimeVersion, path: null, sha256: null });
  const h = info.handlers[spec.handler];
  const bin = h?.binaryName ?? which(spec.requires);
  if (bin) tools.push(await fingerprintTool(spec.requires, bin));
  if (h?.runtimeType === 'io.containerd.runc.v2') {
    const shim = which('containerd-shim-runc-v2');
    if (shim) tools.push(await fingerprintTool('containerd-shim-runc-v2', shim, { versionArgs: ['-v'] }));
  }
  return tools;
}

/** Connects and reads the runtime info, turning "nothing answers" into a one-line UserError. */
export async function connect(socket: string): Promise<{ client: CriClient; info: CriRuntimeInfo }> {
  const client = new CriClient(socket);
  try {
    return { client, info: await criRuntimeInfo(client) };
  } catch (e) {
    client.close();
    throw new UserError(`CRI socket ${socket} does not answer runtime.v1 (${errorMessage(e)})`);
  }
}
