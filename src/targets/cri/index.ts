/** Registers the cri-layer runtimes: one containerd runtime handler each. */
import { registerTarget } from '../registry.js';
import type { CriRuntimeSpec } from './runtime.js';
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
    requires: 'containerd-shim-wasmedge-v1',
    accepts: ['wasm'],
    description: 'Wasm pod through containerd CRI, handler wasmedge (runwasi containerd-shim-wasmedge-v1)',
    howToGet: 'install runwasi’s containerd-shim-wasmedge-v1 on PATH (K3s picks it up as RuntimeClass wasmedge), then scripts/cri-containerd.sh up',
  },
];

for (const spec of CRI_RUNTIMES) registerTarget('cri', spec.runtime, (o) => criTarget(spec, o));
