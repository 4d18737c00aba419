/** Registers the cri-layer runtimes: one containerd runtime handler each. */
import { registerLayer } from '../layers.js';
import { registerTarget } from '../registry.js';
import { CRI_CLEANUP } from './layer.js';
import { CRI_OPTIONS } from './options.js';
import type { CriRuntimeSpec } from './runtime.js';
import { WASM_POD_ANNOTATIONS } from './pod.js';
import { criTarget } from './target.js';

/** Runtimes under test at the CRI layer; handler names follow K3s' RuntimeClass handlers. */
export const CRI_RUNTIMES: CriRuntimeSpec[] = [
  {
    runtime: 'runc',
    handler: 'runc',
    requires: 'runc',
    accepts: ['native'],
    description: 'pod sandbox + container through containerd CRI, handler runc (io.containerd.runc.v2 shim, runc)',
    howToGet: 'apt-get install runc containerd',
  },
  {
    runtime: 'crun',
    handler: 'crun',
    requires: 'crun',
    accepts: ['native'],
    description: 'pod sandbox + container through containerd CRI, handler crun (io.containerd.runc.v2 shim, BinaryName crun)',
    howToGet: 'apt-get install crun, then scripts/cri-containerd.sh up (configures the crun handler)',
  },
  {
    runtime: 'wasmedge',
    handler: 'wasmedge',
    // The requirement is the handler itself: scripts/cri-containerd.sh backs it with runwasi's shim when that is on
    // PATH, else with the crun+WasmEdge build (runc v2 shim, BinaryName its crun-wasmedge); the result records which.
    requires: null,
    // crun's Wasm handler runs a container whose entrypoint is a Wasm module when this annotation is set (what K3s's
    // crun path uses); "compat-smart" leaves the native pause container alone. runwasi's shim ignores it.
    annotations: WASM_POD_ANNOTATIONS,
    accepts: ['wasm'],
    description: 'Wasm pod through containerd CRI, handler wasmedge (crun+WasmEdge via the runc v2 shim, or runwasi containerd-shim-wasmedge-v1), annotated module.wasm.image/variant=compat-smart',
    howToGet: 'bash scripts/build-runtimes.sh build crun-1.8.1-wasmedge (or runwasi’s containerd-shim-wasmedge-v1 on PATH), then scripts/cri-containerd.sh up (configures handler wasmedge)',
  },
];

for (const spec of CRI_RUNTIMES) registerTarget('cri', spec.runtime, (o) => criTarget(spec, o), { options: CRI_OPTIONS });
registerLayer('cri', { cleanup: CRI_CLEANUP });
