/** What containerd's CRI says about itself: version, configured runtime handlers, sandbox image. */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { compiledAgainst, libwasmedgeTool, listBuilds, withBuild, type RuntimeBuild } from '../../env/runtime-builds.js';
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
  /**
   * Binary or shim that must be on PATH for the handler to work; null when the requirement is the handler itself
   * (what backs it is containerd's configuration, e.g. wasmedge: runwasi's shim or a crun built with WasmEdge).
   */
  requires: string | null;
  /** Annotations every pod of this runtime carries, on the sandbox and on the container (e.g. crun's Wasm switch). */
  annotations?: Readonly<Record<string, string>>;
  accepts: ReadonlyArray<'wasm' | 'native'>;
  description: string;
  howToGet: string;
}

/** A configured handler as containerd reports it (Status verbose, info.config). */
export interface HandlerConfig {
  runtimeType: string;
  binaryName: string | null;
  /** Pod (sandbox) annotation patterns containerd passes into the OCI spec (pod_annotations). */
  podAnnotations: string[];
  /** Container annotation patterns containerd passes into the OCI spec (container_annotations). */
  containerAnnotations: string[];
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
    containerd?: {
      defaultRuntimeName?: string;
      runtimes?: Record<
        string,
        { runtimeType?: string; options?: { BinaryName?: string } | null; PodAnnotations?: string[] | null; ContainerAnnotations?: string[] | null }
      >;
    };
  };
  const handlers: Record<string, HandlerConfig> = {};
  for (const [name, r] of Object.entries(cfg.containerd?.runtimes ?? {})) {
    handlers[name] = {
      runtimeType: r.runtimeType ?? '',
      binaryName: r.options?.BinaryName || null,
      podAnnotations: r.PodAnnotations ?? [],
      containerAnnotations: r.ContainerAnnotations ?? [],
    };
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

/** containerd's annotation patterns (filepath.Match: `*` any run of non-"/" characters, `?` one). */
export function annotationPatternMatches(pattern: string, key: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${re}$`).test(key);
}

/** Whether containerd passes annotation `key` of a pod or container to the handler's OCI spec. */
export function passesAnnotation(h: HandlerConfig, key: string): boolean {
  return [...h.podAnnotations, ...h.containerAnnotations].some((p) => annotationPatternMatches(p, key));
}

/** Why `spec` cannot be measured on this runtime, or null; `hostHas` says whether its binary is on PATH. */
export function handlerProblem(spec: CriRuntimeSpec, info: CriRuntimeInfo, hostHas: boolean): { kind: 'absent' | 'misconfigured'; reason: string } | null {
  const h = info.handlers[spec.handler];
  if (h) {
    // The runc v2 shim hands the OCI runtime only the annotations the handler lets through (crun reads its Wasm switch there).
    const blocked = h.runtimeType === 'io.containerd.runc.v2' ? Object.keys(spec.annotations ?? {}).filter((k) => !passesAnnotation(h, k)) : [];
    if (blocked.length) {
      return {
        kind: 'misconfigured',
        reason: `runtime handler "${spec.handler}" of ${info.runtimeName} does not pass annotation ${blocked.join(', ')} to the OCI spec (its pod_annotations: ${h.podAnnotations.join(', ') || 'none'}): add pod_annotations = ["${blocked[0]!.replace(/\/.*$/, '/*')}"] to plugins."io.containerd.grpc.v1.cri".containerd.runtimes.${spec.handler} (scripts/cri-containerd.sh does)`,
      };
    }
    return null;
  }
  const have = Object.keys(info.handlers).join(', ') || 'none';
  if (spec.requires === null) return { kind: 'absent', reason: `${info.runtimeName} has no runtime handler "${spec.handler}" (has: ${have})` };
  if (!hostHas)
    return { kind: 'absent', reason: `${spec.requires} not on PATH, and ${info.runtimeName} has no runtime handler "${spec.handler}" (has: ${have})` };
  return {
    kind: 'misconfigured',
    reason: `${info.runtimeName} has no runtime handler "${spec.handler}" (has: ${have}) although ${spec.requires} is installed: add plugins."io.containerd.grpc.v1.cri".containerd.runtimes.${spec.handler} to its config (scripts/cri-containerd.sh does)`,
  };
}

/** The shim binary containerd starts for a runtime type: io.containerd.runc.v2 → containerd-shim-runc-v2. */
export function shimBinaryName(runtimeType: string): string | null {
  const m = /^io\.containerd\.([A-Za-z0-9_-]+)\.(v\d+)$/.exec(runtimeType);
  return m ? `containerd-shim-${m[1]}-${m[2]}` : null;
}

/** The runtime build of scripts/build-runtimes.sh a handler binary belongs to (<prefix>/bin/NAME), or null. */
export function buildOfBinary(bin: string): { build: RuntimeBuild; wasmedge: RuntimeBuild | null } | null {
  let prefix: string;
  try {
    prefix = dirname(dirname(realpathSync(bin)));
  } catch {
    return null;
  }
  if (!existsSync(join(prefix, 'build.json'))) return null;
  const all = listBuilds(dirname(prefix));
  const build = all.find((b) => b.prefix === prefix);
  if (!build) return null;
  return { build, wasmedge: compiledAgainst(build, all) };
}

/** What backs a handler, for a result: tools (OCI runtime, build, libwasmedge, shim) and one note line. */
export async function describeHandler(
  info: CriRuntimeInfo,
  handler: string,
  fallbackBinary: string | null = null,
): Promise<{ tools: ToolFingerprint[]; note: string }> {
  const h = info.handlers[handler];
  const tools: ToolFingerprint[] = [];
  if (!h) return { tools, note: `handler "${handler}": not configured in ${info.runtimeName} ${info.runtimeVersion}` };
  const parts = [`handler "${handler}": runtimeType ${h.runtimeType || '(none)'}`];
  const bin = h.binaryName ?? (fallbackBinary ? which(fallbackBinary) : null);
  if (h.binaryName) parts.push(`BinaryName ${h.binaryName}`);
  if (bin) {
    const b = buildOfBinary(bin);
    if (b) {
      // A build's wrapper (a script) and the binary it runs: both identified, the binary with its build record.
      if (realpathSync(bin) !== realpathSync(b.build.binary)) tools.push(await fingerprintTool(basename(bin), bin));
      tools.push(withBuild(await fingerprintTool(b.build.runtime, b.build.binary), b.build));
      parts.push(`build ${b.build.name} (${b.build.runtime} ${b.build.reportedVersion}, ${b.build.variant}; record ${b.build.record})`);
      if (b.wasmedge) {
        tools.push(await libwasmedgeTool(b.wasmedge));
        parts.push(
          `WasmEdge build ${b.wasmedge.name} (${b.wasmedge.reportedVersion}, ${b.wasmedge.variant}${b.wasmedge.aot ? ', AOT-capable' : ''}), its libwasmedge.so.0 on the wrapper's LD_LIBRARY_PATH unless EDGEBENCH_WASMEDGE_LIB is set in containerd's environment`,
        );
      } else if (b.build.wasmedgeBuild) {
        parts.push(`compiled against WasmEdge build ${b.build.wasmedgeBuild} (not found in ${dirname(b.build.prefix)})`);
      }
    } else {
      tools.push(await fingerprintTool(fallbackBinary ?? basename(bin), bin));
    }
  }
  const shim = shimBinaryName(h.runtimeType);
  const shimPath = shim ? which(shim) : null;
  if (shim && shimPath) tools.push(await fingerprintTool(shim, shimPath, shim === 'containerd-shim-runc-v2' ? { versionArgs: ['-v'] } : {}));
  else if (shim) parts.push(`shim ${shim} not on this PATH`);
  if (h.podAnnotations.length) parts.push(`pod annotations passed to the OCI spec: ${h.podAnnotations.join(', ')}`);
  if (h.containerAnnotations.length) parts.push(`container annotations passed: ${h.containerAnnotations.join(', ')}`);
  return { tools, note: parts.join('; ') };
}

/** Fingerprints containerd, the handler's OCI runtime binary (and its build, when it is one) and the shim, with the line describing the handler. */
export async function criToolsAndNote(info: CriRuntimeInfo, spec: CriRuntimeSpec): Promise<{ tools: ToolFingerprint[]; note: string }> {
  const tools: ToolFingerprint[] = [];
  const ctrd = which('containerd');
  tools.push(
    ctrd
      ? { ...(await fingerprintTool('containerd', ctrd)), version: `${info.runtimeName} ${info.runtimeVersion} (CRI ${info.apiVersion})` }
      : { name: info.runtimeName, version: info.runtimeVersion, path: null, sha256: null },
  );
  const h = await describeHandler(info, spec.handler, spec.requires);
  return { tools: [...tools, ...h.tools], note: h.note };
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
