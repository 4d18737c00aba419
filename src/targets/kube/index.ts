/** Registers the kube layer's targets: the node's default handler and one per common RuntimeClass name. */
import { registerLayer } from '../layers.js';
import { registerTarget } from '../registry.js';
import { KUBE_LAYER } from './layer.js';
import { KUBE_OPTIONS } from './options.js';
import { KubePodTarget } from './pod-target.js';

/** RuntimeClass names K3s creates (plus runc and the default handler). */
export const KUBE_RUNTIMES = ['default', 'runc', 'crun', 'wasmedge', 'wasmtime', 'wasmer', 'spin'] as const;

for (const rt of KUBE_RUNTIMES) registerTarget('kube', rt, (options) => new KubePodTarget(rt, options), { options: KUBE_OPTIONS });
registerLayer('kube', KUBE_LAYER);
