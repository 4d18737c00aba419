import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { procStartTime } from '../../src/host/procfs.js';
import { repoPath } from '../../src/util/paths.js';
import { pidFileAlive } from '../kube/cluster-helpers.js';

const LIB = repoPath('scripts', 'lib', 'pidfile.sh');
/** Runs a bash snippet with scripts/lib/pidfile.sh sourced; the exit code is the answer. */
const sh = async (script: string): Promise<number> => (await execa('bash', ['-c', `set -euo pipefail; . ${LIB}; ${script}`], { reject: false })).exitCode ?? -1;

describe('scripts/lib/pidfile.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eb-pidfile-'));
  let child: ChildProcess;
  beforeAll(() => void (child = spawn('sleep', ['300'], { stdio: 'ignore' })));
  afterAll(() => void child.kill('SIGKILL'));

  it('a file it wrote names the live process, with its start time from /proc', async () => {
    const f = join(dir, 'live.pid');
    expect(await sh(`pidfile_write ${f} ${child.pid}`)).toBe(0);
    const [pid, start] = readFileSync(f, 'utf8').trim().split(' ');
    expect(Number(pid)).toBe(child.pid);
    expect(start).toBe(procStartTime(child.pid!));
    expect(await sh(`pidfile_alive ${f} sleep`)).toBe(0);
    expect(pidFileAlive(f)).toBe(true);
  });

  it('a pid the kernel gave to another process (other start time) is not ours', async () => {
    const f = join(dir, 'reused.pid');
    writeFileSync(f, `${child.pid} 1\n`);
    expect(await sh(`pidfile_alive ${f} sleep`)).toBe(1);
    expect(pidFileAlive(f)).toBe(false);
  });

  it('a dead pid, a missing file and garbage are not alive', async () => {
    const dead = spawn('true');
    await new Promise((r) => dead.on('exit', r));
    const f = join(dir, 'dead.pid');
    writeFileSync(f, `${dead.pid} 12345\n`);
    expect(await sh(`pidfile_alive ${f} true`)).toBe(1);
    expect(await sh(`pidfile_alive ${join(dir, 'absent.pid')} x`)).toBe(1);
    writeFileSync(join(dir, 'junk.pid'), 'not-a-pid\n');
    expect(await sh(`pidfile_alive ${join(dir, 'junk.pid')} x`)).toBe(1);
    expect(pidFileAlive(f)).toBe(false);
  });

  it('an older "PID" file counts only when the command line holds the expected text', async () => {
    const f = join(dir, 'old.pid');
    writeFileSync(f, `${child.pid}\n`);
    expect(await sh(`pidfile_alive ${f} 300`)).toBe(0);
    expect(await sh(`pidfile_alive ${f} kube-apiserver`)).toBe(1);
    expect(await sh(`[ "$(pidfile_pid ${f})" = ${child.pid} ]`)).toBe(0);
  });
});
