/**
 * ssh option injection: a --host that starts with "-" is refused (ssh would read "-Jevil.example" or
 * "-oProxyCommand=…" as an option and run a local command), and the ssh argv always has "--"
 * before the destination. The argv is what a fake `ssh` first on PATH records, i.e. exactly what
 * the transport passes to the system client.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTransport } from '../../src/provision/session.js';
import { SshTransport } from '../../src/provision/transport.js';
import { refusal } from '../helpers/refusal.js';

let dir: string;
let log: string;
const savedPath = process.env['PATH'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eb-ssh-argv-'));
  mkdirSync(join(dir, 'bin'));
  log = join(dir, 'argv');
  // fake ssh: records its argv (NUL-separated, one call per line), succeeds without doing anything
  writeFileSync(join(dir, 'bin', 'ssh'), `#!/bin/sh\n{ printf '%s\\0' "$@"; echo; } >> '${log}'\ncase " $* " in *" -O "*) ;; *) cat >/dev/null ;; esac\nexit 0\n`, { mode: 0o755 });
  process.env['PATH'] = `${join(dir, 'bin')}:${savedPath}`;
});
afterAll(() => {
  process.env['PATH'] = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

function calls(): string[][] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\0').slice(0, -1));
}


describe('ssh transport: no option injection through --host', () => {
  it('refuses a host or user that starts with "-", naming it', () => {
    expect(refusal(() => new SshTransport('-Jevil.example'))).toBe('--host "-Jevil.example": the host may not start with "-" (ssh would read it as an option)');
    expect(refusal(() => new SshTransport('-oProxyCommand=touch /tmp/pwned'))).toBe('--host "-oProxyCommand=touch /tmp/pwned": the host may not start with "-" (ssh would read it as an option)');
    expect(refusal(() => new SshTransport('root@-oProxyCommand=x'))).toBe('--host "root@-oProxyCommand=x": the host may not start with "-" (ssh would read it as an option)');
    expect(refusal(() => new SshTransport('-oUser@edge1'))).toBe('--host "-oUser@edge1": the user may not start with "-" (ssh would read it as an option)');
    // the same check whether the host comes from --host or from the config file's host:
    expect(refusal(() => openTransport({ host: '-Jevil.example' }))).toMatch(/^--host "-Jevil\.example": the host may not start with "-"/);
    // a dash inside is fine
    expect(new SshTransport('ci-user@edge-1.lab').describe).toBe('ssh ci-user@edge-1.lab');
    expect(calls()).toEqual([]); // ssh never ran
  });

  it('passes "--" right before the destination, after every option (commands and close)', async () => {
    const t = new SshTransport('root@edge1', { port: 2222, identity: '/keys/id', options: ['StrictHostKeyChecking=no'] });
    await t.sh('echo hi');
    t.sudo = true;
    await t.sh('echo hi');
    await t.close();
    const [plain, sudo, close] = calls();
    for (const argv of [plain!, sudo!]) {
      expect(argv.slice(-3, -1)).toEqual(['--', 'root@edge1']);
      expect(argv.indexOf('--')).toBe(argv.length - 3);
    }
    expect(plain!.at(-1)).toBe('sh -s');
    expect(sudo!.at(-1)).toBe("sudo -n sh -c 'sh -s'");
    expect(plain!.slice(0, -3)).toEqual(expect.arrayContaining(['-p', '2222', '-i', '/keys/id', '-o', 'StrictHostKeyChecking=no', '-o', 'BatchMode=yes']));
    expect(close!.slice(-4)).toEqual(['-O', 'exit', '--', 'root@edge1']);
  });

  it.skipIf(!existsSync('/usr/bin/ssh'))('OpenSSH takes "--" before the destination (ssh -G resolves it without connecting)', () => {
    const out = execFileSync('/usr/bin/ssh', ['-G', '-o', 'BatchMode=yes', '-p', '2222', '--', 'someone@edge1.example'], { encoding: 'utf8' });
    expect(out).toMatch(/^user someone$/m);
    expect(out).toMatch(/^hostname edge1\.example$/m);
    expect(out).toMatch(/^port 2222$/m);
  });
});
