/** The oci layer's target options (`--opt`) beyond a runtime's `bin`. */
import type { OptionSpec } from '../options.js';

/** The docker runtime containers run with (oci/docker). */
export const DOCKER_RUNTIME: OptionSpec = { key: 'runtime', type: 'string', env: 'EDGEBENCH_DOCKER_RUNTIME', default: 'runc', help: 'the docker runtime (docker run --runtime)' };

/** The containerd runtime containers run with (oci/containerd). */
export const CONTAINERD_RUNTIME: OptionSpec = { key: 'runtime', type: 'string', env: 'EDGEBENCH_CONTAINERD_RUNTIME', default: 'io.containerd.runc.v2', help: 'the containerd runtime (ctr run --runtime)' };
