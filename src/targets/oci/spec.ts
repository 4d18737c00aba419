/** OCI runtime-spec config.json for a scratch container: own namespaces (no network but loopback), read-only root, no extra privileges. */

/** What varies between containers edgebench starts. */
export interface SpecOptions {
  args: string[];
  /** Adds the annotations Wasm-aware runtimes (crun +WASM) act on. */
  wasm: boolean;
  /** cgroupfs path, e.g. /edgebench/<label>/<id> (runtimes append nothing). Omit to let the runtime choose. */
  cgroupsPath?: string;
  hostname?: string;
}

const CAPS = ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];

/** The config.json document (runc's `runc spec` defaults, trimmed; no oomScoreAdj: it needs CAP_SYS_RESOURCE). */
export function runtimeSpec(o: SpecOptions): Record<string, unknown> {
  const linux: Record<string, unknown> = {
    namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
    resources: { devices: [{ allow: false, access: 'rwm' }] },
    maskedPaths: ['/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/sys/firmware', '/proc/scsi'],
    readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
  };
  if (o.cgroupsPath) linux['cgroupsPath'] = o.cgroupsPath;
  const spec: Record<string, unknown> = {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: o.args,
      env: ['PATH=/'],
      cwd: '/',
      capabilities: { bounding: CAPS, effective: CAPS, permitted: CAPS, ambient: CAPS },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: 'rootfs', readonly: true },
    hostname: o.hostname ?? 'edgebench',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    ],
    linux,
  };
  if (o.wasm) spec['annotations'] = { 'module.wasm.image/variant': 'compat-smart' };
  return spec;
}
