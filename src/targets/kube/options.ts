/** The kube layer's target options (`--opt`), shared by its runtimes (kubeconfig and context are common options). */
import type { OptionSpec } from '../options.js';

/** Every kube option. */
export const KUBE_OPTIONS: readonly OptionSpec[] = [
  { key: 'server', type: 'string', env: 'EDGEBENCH_KUBE_SERVER', help: 'API server URL replacing the kubeconfig\'s (e.g. a proxy in front of it)' },
  { key: 'in-cluster', type: 'bool', help: 'use the pod\'s service account even when a kubeconfig exists' },
  { key: 'node', type: 'string', help: 'pin pods to this node' },
  { key: 'image', type: 'string', help: 'image to run instead of the fixture\'s' },
  { key: 'image-pull-policy', type: 'string', choices: ['Never', 'IfNotPresent'], default: 'Never', help: 'the pods\' imagePullPolicy (pulls are never timed with Never)' },
  { key: 'pod-timeout-ms', type: 'int', min: 1, max: 86_400_000, default: '60000', help: 'longest wait for one pod to start (cold-start)' },
  { key: 'sim-node', type: 'bool', default: 'false', help: 'run pods on edgebench\'s simulated node (control plane only, no runtime)' },
  { key: 'sim-start-delay-ms', type: 'int', min: 0, max: 3_600_000, default: '0', help: 'simulated node: delay before a pod reports running' },
  { key: 'sim-max-pods', type: 'int', min: 1, max: 1_000_000, help: 'simulated node: pods it admits (default: what the suite needs)' },
];
