import { describe, expect, it } from 'vitest';
import { parseLauncherHeader, parseLauncherLine } from '../../src/targets/process/launcher.js';

describe('eb-launch output parsing', () => {
  it('reads a measured successful sample in the declared units', () => {
    expect(parseLauncherLine('7 m 612345 1234 exit 0 150 20')).toEqual({
      index: 7,
      warmup: false,
      ok: true,
      values: { wall: 612345, peak_rss: 1234 * 1024, user_cpu: 150_000, sys_cpu: 20_000 },
    });
  });

  it('marks non-zero exits, signals and exec failures as failed with the cause', () => {
    expect(parseLauncherLine('0 w 1 1 exit 3 0 0')).toMatchObject({ warmup: true, ok: false, error: 'exit code 3' });
    expect(parseLauncherLine('1 m 1 1 signal 9 0 0')).toMatchObject({ ok: false, error: 'killed by signal 9' });
    expect(parseLauncherLine('2 m 1 1 execfail 2 0 0')).toMatchObject({ ok: false, error: 'exec failed (errno 2)' });
    expect(parseLauncherLine('3 m 1 1 exit 3 0 0', 3)).toMatchObject({ ok: true });
  });

  it('skips comments, reads the clock resolution, and rejects malformed lines', () => {
    expect(parseLauncherLine('# eb-launch 1 clock=CLOCK_MONOTONIC res_ns=1 pid=9')).toBeNull();
    expect(parseLauncherHeader('# eb-launch 1 clock=CLOCK_MONOTONIC res_ns=4 pid=9')).toBe(4);
    expect(() => parseLauncherLine('1 m 2')).toThrow(/malformed/);
  });
});
