/** The host's fingerprint: CPU, cores, kernel, memory, OS, Node. */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { HostFingerprint } from '../result/types.js';

/** PRETTY_NAME from /etc/os-release, or the platform name. */
function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m?.[1]) return m[1];
  } catch {
    /* not Linux or unreadable: fall through */
  }
  return `${os.type()} ${os.release()}`;
}

/** Which cgroup layout the host has (v1, v2, hybrid). */
export function cgroupLayout(): string {
  const v2 = existsSync('/sys/fs/cgroup/cgroup.controllers');
  const unified = existsSync('/sys/fs/cgroup/unified/cgroup.controllers');
  if (v2) return 'v2';
  if (unified) return 'hybrid';
  return existsSync('/sys/fs/cgroup/memory') ? 'v1' : 'none';
}

/** Collects the host fingerprint (cheap; no subprocesses). */
export function hostFingerprint(): HostFingerprint {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: Math.max(1, cpus.length),
    kernel: `${os.type()} ${os.release()}`,
    memoryBytes: os.totalmem(),
    os: osName(),
    arch: os.arch(),
    nodeVersion: process.version,
    hostname: os.hostname(),
    cgroup: cgroupLayout(),
  };
}
