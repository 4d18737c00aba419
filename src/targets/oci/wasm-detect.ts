/** Wasm capability of the container runtimes here: crun built with +WASM, runwasi shims on PATH. */
import { which, versionLine } from '../../env/tools.js';
import { execa } from 'execa';

/** The Wasm engine crun was built with (e.g. "wasmedge"), or null; with the flag line it read. */
export async function crunWasmEngine(crun: string): Promise<{ engine: string | null; flags: string }> {
  const r = await execa(crun, ['--version'], { reject: false, timeout: 10_000, stdin: 'ignore' });
  const flags = r.stdout.split('\n').find((l) => l.startsWith('+')) ?? '';
  const m = /\+WASM:([a-z0-9_-]+)/i.exec(flags);
  return { engine: m?.[1] ?? null, flags };
}

/** runwasi shims edgebench knows, as containerd runtime names → binary. */
export const WASM_SHIMS: Record<string, { runtime: string; binary: string }> = {
  wasmedge: { runtime: 'io.containerd.wasmedge.v1', binary: 'containerd-shim-wasmedge-v1' },
  wasmtime: { runtime: 'io.containerd.wasmtime.v1', binary: 'containerd-shim-wasmtime-v1' },
  wasmer: { runtime: 'io.containerd.wasmer.v1', binary: 'containerd-shim-wasmer-v1' },
  spin: { runtime: 'io.containerd.spin.v2', binary: 'containerd-shim-spin-v2' },
};

/** Shims present on PATH. */
export function installedShims(): string[] {
  return Object.entries(WASM_SHIMS).filter(([, s]) => which(s.binary)).map(([k]) => k);
}

/** Version line of a binary (re-exported for drivers). */
export { versionLine };
