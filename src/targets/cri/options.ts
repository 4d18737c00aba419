/** The cri layer's target options (`--opt`), shared by its runtimes. */
import type { OptionSpec } from '../options.js';

/** edgebench's own containerd (scripts/cri-containerd.sh). */
export const DEFAULT_CRI_SOCKET = '/run/edgebench/cri/containerd.sock';

/** The CRI socket (`unix://` prefix optional). */
export const CRI_SOCKET: OptionSpec = { key: 'socket', type: 'path', env: 'EDGEBENCH_CRI_SOCKET', default: DEFAULT_CRI_SOCKET, help: 'the CRI socket (e.g. /run/k3s/containerd/containerd.sock on K3s)' };

/** The pods' network. */
export const CRI_NETWORK: OptionSpec = { key: 'network', type: 'string', choices: ['host', 'cni'], env: 'EDGEBENCH_CRI_NETWORK', default: 'host', help: 'pod network: the host\'s, or a CNI network namespace per pod' };

/** The density ramp stops when fewer tasks than this are left to the host (pids). */
export const DENSITY_MIN_FREE_TASKS: OptionSpec = { key: 'density-min-free-tasks', type: 'int', min: 0, max: 10_000_000, default: '3000', help: 'density: stop while at least this many tasks (pids) are left free' };

/** Every cri option. */
export const CRI_OPTIONS: readonly OptionSpec[] = [CRI_SOCKET, CRI_NETWORK, DENSITY_MIN_FREE_TASKS];
