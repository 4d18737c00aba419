/**
 * Which kube RuntimeClasses run the http fixture's Wasm build (WasmEdge's socket ABI): wasmedge (crun+WasmEdge or
 * runwasi's WasmEdge shim) does; other Wasm RuntimeClasses and crun (engine unknown) do not, and say why. No cluster.
 */
import { describe, expect, it } from 'vitest';
import { unmetWasmNeeds } from '../../src/fixtures/workload.js';
import { KUBE_RUNTIMES } from '../../src/targets/kube/index.js';
import { KubePodTarget } from '../../src/targets/kube/pod-target.js';

describe('kube targets and WasmEdge\'s socket ABI', () => {
  it('only kube/wasmedge declares it', () => {
    const abis = Object.fromEntries(KUBE_RUNTIMES.map((rt) => [rt, [...(new KubePodTarget(rt, {}).wasmAbis ?? [])]]));
    expect(abis).toEqual({ default: [], runc: [], crun: [], wasmedge: ['wasmedge-sockets'], wasmtime: [], wasmer: [], spin: [] });
  });

  it('http runs on kube/wasmedge; on kube/wasmtime it is not measured with the reason; noop needs nothing', () => {
    expect(unmetWasmNeeds('http', 'kube/wasmedge', new KubePodTarget('wasmedge', {}).wasmAbis)).toBeNull();
    expect(unmetWasmNeeds('http', 'kube/wasmtime', new KubePodTarget('wasmtime', {}).wasmAbis)).toBe(
      "fixture http: its Wasm build needs WasmEdge's socket ABI (sock_open, sock_bind, sock_listen, sock_accept, sock_send in wasi_snapshot_preview1), which kube/wasmtime does not provide",
    );
    expect(unmetWasmNeeds('noop', 'kube/wasmtime', new KubePodTarget('wasmtime', {}).wasmAbis)).toBeNull();
  });
});
