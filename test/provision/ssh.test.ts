/**
 * The executor over SSH for real: a throwaway sshd on 127.0.0.1 (keys made by the test), the system
 * ssh client, fake artifacts from a loopback HTTP server, installed under a temp root on the "remote".
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { provision, teardown, type ProvisionRequest } from '../../src/provision/session.js';
import { describeWith } from '../helpers/system.js';
import { fakeArtifacts, prepareRoot, serve, snapshot, writeCatalogue } from './fakes.js';

const SSHD = '/usr/sbin/sshd';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), r(true)));
      c.once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`sshd did not listen on ${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeWith('provision over ssh (local sshd on loopback)', () => (!existsSync(SSHD) ? 'openssh-server not installed (scripts/install-deps.sh)' : process.getuid?.() !== 0 ? 'needs root to run sshd' : null), () => {
  let dir: string;
  let sshd: ChildProcess;
  let port: number;
  let srv: Awaited<ReturnType<typeof serve>>;
  const files = fakeArtifacts();
  let base: ProvisionRequest;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eb-ssh-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id')]);
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id.pub')));
    port = await freePort();
    writeFileSync(
      join(dir, 'sshd_config'),
      [`Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${dir}/host_key`, `AuthorizedKeysFile ${dir}/authorized_keys`, 'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no', `PidFile ${dir}/sshd.pid`].join('\n') + '\n',
    );
    mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege-separation directory
    sshd = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    await waitForPort(port, 10_000);
    srv = await serve(files);
    const root = join(dir, 'remote-root');
    mkdirSync(root);
    prepareRoot(root);
    writeCatalogue(join(dir, 'catalogue.yaml'), srv.base, files);
    base = {
      host: 'root@127.0.0.1',
      port,
      identity: join(dir, 'id'),
      sshOptions: ['StrictHostKeyChecking=no', 'UserKnownHostsFile=/dev/null', 'LogLevel=ERROR'],
      root,
      cacheDir: join(dir, 'cache'),
      catalogueFile: join(dir, 'catalogue.yaml'),
      profile: 'density-3000',
    };
  });

  afterAll(async () => {
    sshd?.kill('SIGTERM');
    await srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('provisions over ssh, a second run changes nothing, teardown undoes it', async () => {
    const r1 = await provision(base, { dryRun: false });
    expect(r1.outcomes!.filter((o) => o.status === 'changed').length).toBeGreaterThan(10);
    expect(readFileSync(join(base.root!, 'etc/rancher/k3s/config.yaml'), 'utf8')).toContain('max-pods=3000');
    const before = snapshot(base.root!);
    const r2 = await provision(base, { dryRun: false });
    expect(r2.outcomes!.filter((o) => o.status === 'changed')).toEqual([]);
    expect(snapshot(base.root!)).toEqual(before);
    const t = await teardown(base, { dryRun: false });
    expect(t.outcomes!.find((o) => o.id === 'k3s.uninstall')?.status).toBe('changed');
    expect(existsSync(join(base.root!, 'usr/local/bin/k3s'))).toBe(false);
    expect(existsSync(join(base.root!, 'usr/local/bin/containerd-shim-wasmedge-v1'))).toBe(false);
  });

  it('an unreachable host is refused with one line', async () => {
    const closed = await freePort();
    const err = (await provision({ ...base, port: closed }, { dryRun: true }).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(`host root@127.0.0.1 unreachable over ssh: ssh: connect to host 127.0.0.1 port ${closed}: Connection refused`);
  });
});
