/** The metrics the CRI target reports, each with its clock. */
import { CLIENT_MONOTONIC, type ClockInfo } from '../../core/clock.js';
import type { MetricSpec } from '../../core/metric.js';

/** containerd's own timestamps in ContainerStatus: time.Time.UnixNano() of the host's realtime clock. */
export const CONTAINERD_CLOCK: ClockInfo = {
  source: 'containerd-event',
  resolution: 1,
  detail: 'CRI ContainerStatus createdAt/startedAt/finishedAt (int64 ns, containerd/shim CLOCK_REALTIME); both ends from the same host clock',
};

/** Poll interval while waiting for a container's exit to show in ContainerStatus (ns). */
export const EXIT_POLL_NS = 2_000_000;

const client = (name: string, description: string): MetricSpec => ({ name, unit: 'ns', better: 'lower', clock: CLIENT_MONOTONIC, description });

/** Cold-start metrics: RPC timings on the client clock, phase durations on containerd's clock. */
export const COLD_START_METRICS: MetricSpec[] = [
  client('wall', 'RunPodSandbox call → container exit seen in ContainerStatus: a whole pod cold start through CRI'),
  client('sandbox_start', 'RunPodSandbox RPC (pause container + shim + namespaces; host network: no CNI)'),
  client('container_create', 'CreateContainer RPC (snapshot, OCI spec, container record)'),
  client('container_start', 'StartContainer RPC (task create + start through the shim)'),
  client('container_create_start', 'CreateContainer + StartContainer RPCs: the container part of a pod start'),
  {
    name: 'exit_observed',
    unit: 'ns',
    better: 'lower',
    clock: { ...CLIENT_MONOTONIC, resolution: EXIT_POLL_NS, detail: `${CLIENT_MONOTONIC.detail}; ContainerStatus polled every ${EXIT_POLL_NS / 1e6} ms` },
    description: 'StartContainer return → first ContainerStatus in state EXITED (includes containerd’s exit-event handling)',
  },
  client('teardown', 'StopPodSandbox + RemovePodSandbox RPCs'),
  { name: 'ctrd_create_to_start', unit: 'ns', better: 'lower', clock: CONTAINERD_CLOCK, description: 'ContainerStatus startedAt − createdAt: containerd’s record of task create + start' },
  {
    name: 'ctrd_start_to_exit',
    unit: 'ns',
    better: 'lower',
    clock: CONTAINERD_CLOCK,
    description: 'ContainerStatus finishedAt − startedAt (exit time from the shim); absent when the process exited before containerd stamped startedAt',
  },
];
