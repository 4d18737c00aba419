/** A version command that fails gives no version (and says why), not the first line of its usage message. */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintTool, probeVersion, versionLine } from '../../src/env/tools.js';

function tool(name: string, body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'eb-tool-'));
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

describe('tool versions', () => {
  it('a --version that exits 1 with a usage message gives version null and the reason', async () => {
    const bin = tool('faketool', 'echo "usage: faketool [options] file"\nexit 1');
    expect(await versionLine(bin)).toBeNull();
    expect(await probeVersion(bin)).toEqual({ version: null, problem: `\`${bin} --version\` exited 1: usage: faketool [options] file` });
    const fp = await fingerprintTool('faketool', bin);
    expect(fp.version).toBeNull();
    expect(fp.build?.notes).toContain('version unknown: ');
    expect(fp.build?.notes).toContain('exited 1: usage: faketool');
  });

  it('a usage message on stderr with a non-zero exit is no version either', async () => {
    const bin = tool('faketool2', 'echo "faketool2: unknown option --version" >&2\nexit 2');
    expect(await versionLine(bin)).toBeNull();
  });

  it('a binary that cannot run gives null and why', async () => {
    const p = await probeVersion(join(tmpdir(), 'eb-no-such-tool-here'));
    expect(p.version).toBeNull();
    expect(p.problem).toMatch(/could not run/);
  });

  it('a --version that exits 0 gives its first non-empty line', async () => {
    const bin = tool('goodtool', 'echo\necho "goodtool 1.2.3"\necho "built with love"');
    expect(await versionLine(bin)).toBe('goodtool 1.2.3');
    const fp = await fingerprintTool('goodtool', bin);
    expect(fp.version).toBe('goodtool 1.2.3');
    expect(fp.build?.notes).toBeUndefined();
  });
});
