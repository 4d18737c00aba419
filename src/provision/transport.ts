/**
 * Where steps run: the local machine, or a host over SSH. SSH uses the system `ssh` client (through
 * execa) rather than an npm SSH library, so the user's ~/.ssh/config, agent, known_hosts,
 * ProxyJump and hardware keys all work as they do in a terminal, with no native dependency.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { UserError } from '../util/errors.js';
import { q } from './sh.js';

/** Output of one command on the target. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A place to run shell on and copy files to. */
export interface Transport {
  /** "local" or "ssh user@host". */
  readonly describe: string;
  /** Runs `script` with sh on the target (as root: through `sudo -n` when `sudo` is set). */
  sh(script: string, timeoutMs?: number): Promise<RunResult>;
  /** Copies a local file to `dest` on the target (atomically: .part then rename) with `mode`. */
  upload(localFile: string, dest: string, mode: string): Promise<void>;
  /** Whether commands go through `sudo -n` (set after facts show the user is not root). */
  sudo: boolean;
  /** Releases connections (the ssh control master). */
  close(): Promise<void>;
}

function lastLine(s: string): string {
  return s.trim().split('\n').filter(Boolean).pop() ?? '';
}

abstract class ShellTransport implements Transport {
  sudo = false;
  async close(): Promise<void> {}
  abstract readonly describe: string;
  /** Runs one command line on the target with the given stdin. */
  protected abstract command(line: string, input: { input: string } | { inputFile: string }, timeoutMs: number): Promise<RunResult>;

  private wrap(line: string): string {
    return this.sudo ? `sudo -n sh -c ${q(line)}` : line;
  }

  sh(script: string, timeoutMs = 600_000): Promise<RunResult> {
    return this.command(this.wrap('sh -s'), { input: script }, timeoutMs);
  }

  async upload(localFile: string, dest: string, mode: string): Promise<void> {
    const dir = dest.slice(0, dest.lastIndexOf('/')) || '/';
    const line = `mkdir -p ${q(dir)} && cat > ${q(dest)}.part && chmod ${q(mode)} ${q(dest)}.part && mv -f ${q(dest)}.part ${q(dest)}`;
    const r = await this.command(this.wrap(`sh -c ${q(line)}`), { inputFile: localFile }, 1_800_000);
    if (r.code !== 0) throw new UserError(`copying ${localFile} to ${this.describe}:${dest} failed: ${lastLine(r.stderr) || `exit ${r.code}`}`, 1);
  }
}

/** Runs on this machine. */
export class LocalTransport extends ShellTransport {
  readonly describe = 'local';
  protected async command(line: string, input: { input: string } | { inputFile: string }, timeoutMs: number): Promise<RunResult> {
    const r = await execa('sh', ['-c', line], { ...input, reject: false, timeout: timeoutMs, stripFinalNewline: false });
    return { code: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
  }
}

/** Options for the system ssh client. */
export interface SshOptions {
  port?: number;
  identity?: string;
  /** Extra `-o KEY=VALUE` options. */
  options?: string[];
  connectTimeoutS?: number;
}

/**
 * Refuses a --host that is not user@host, or whose host or user part starts with "-": ssh would read
 * "-Jevil.example" or "-oProxyCommand=…" as an option (a local command), not as a destination.
 */
export function checkHost(host: string): void {
  const at = host.lastIndexOf('@');
  const [user, name] = at < 0 ? [null, host] : [host.slice(0, at), host.slice(at + 1)];
  if (user?.startsWith('-')) throw new UserError(`--host ${JSON.stringify(host)}: the user may not start with "-" (ssh would read it as an option)`);
  if (name.startsWith('-')) throw new UserError(`--host ${JSON.stringify(host)}: the host may not start with "-" (ssh would read it as an option)`);
  if (!/^([A-Za-z0-9._-]+@)?[A-Za-z0-9._:[\]-]+$/.test(host)) throw new UserError(`--host ${JSON.stringify(host)} is not of the form user@host`);
}

/** Runs on `user@host` through the system ssh client (BatchMode: never prompts). */
export class SshTransport extends ShellTransport {
  readonly describe: string;
  private readonly args: string[];
  private readonly controlPath: string;
  constructor(
    readonly host: string,
    o: SshOptions = {},
  ) {
    super();
    checkHost(host);
    this.describe = `ssh ${host}`;
    // One multiplexed connection for the whole session (a plan runs a few hundred short commands).
    this.controlPath = join(tmpdir(), `eb-ssh-${process.pid}-%C`);
    this.args = ['-o', 'BatchMode=yes', '-o', `ConnectTimeout=${o.connectTimeoutS ?? 10}`, '-o', 'ControlMaster=auto', '-o', `ControlPath=${this.controlPath}`, '-o', 'ControlPersist=60', ...(o.port ? ['-p', String(o.port)] : []), ...(o.identity ? ['-i', o.identity] : []), ...(o.options ?? []).flatMap((x) => ['-o', x])];
  }
  protected async command(line: string, input: { input: string } | { inputFile: string }, timeoutMs: number): Promise<RunResult> {
    const r = await execa('ssh', this.argv(line), { ...input, reject: false, timeout: timeoutMs, stripFinalNewline: false });
    // ssh exits 255 when it cannot connect or authenticate (the remote command's own codes pass through).
    if (r.exitCode === 255) throw new UserError(`host ${this.host} unreachable over ssh: ${lastLine(r.stderr) || 'exit 255'}`);
    return { code: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
  }
  override async close(): Promise<void> {
    await execa('ssh', [...this.args, '-O', 'exit', '--', this.host], { reject: false, timeout: 10_000 });
  }
  /** The ssh argv for running `line`: options, then `--`, so the host can never be read as an option. */
  private argv(line: string): string[] {
    return [...this.args, '--', this.host, line];
  }
}
