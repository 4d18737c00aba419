/** Unit checks of how a failed start is described: eb-launch's timeout and stderr lines, the summary of stderr, the first failure in a result. */
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/core/metric.js';
import { failureNote, firstFailure, withFirstFailure } from '../../src/run/failure.js';
import { parseLauncherLine, parseStderrLine, stderrSummary } from '../../src/targets/process/launcher.js';
import { parseDuration, checkDuplicateCells } from '../../src/cli/run-checks.js';

describe('eb-launch protocol 2', () => {
  it('a timeout line fails the sample with the limit', () => {
    expect(parseLauncherLine('4 m 300812345 1200 timeout 300 10 20')).toMatchObject({ index: 4, ok: false, error: 'timed out after 300 ms (killed)', values: { wall: 300812345 } });
  });
  it('a stderr line carries the hex of the tail', () => {
    const hex = Buffer.from("ls: cannot access 'x'\n").toString('hex');
    const t = parseStderrLine(`# stderr 7 ${hex}`);
    expect(t?.index).toBe(7);
    expect(t?.stderr.toString()).toBe("ls: cannot access 'x'\n");
    expect(parseStderrLine('# eb-launch 2 clock=CLOCK_MONOTONIC res_ns=1 pid=3')).toBeNull();
    expect(parseLauncherLine(`# stderr 7 ${hex}`)).toBeNull();
  });
});

describe('stderr summary', () => {
  it('keeps the last three non-empty lines on one line, without control characters', () => {
    expect(stderrSummary('one\ntwo\n\nthree\r\n\x1b[31mfour\x1b[0m\n')).toBe('two | three | four');
  });
  it('keeps the end of a long line', () => {
    const s = stderrSummary('x'.repeat(1000) + 'END', 3, 50);
    expect(s).toHaveLength(50);
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('END')).toBe(true);
  });
});

describe('first failure', () => {
  const ok = (index: number, warmup = false): Sample => ({ index, warmup, ok: true, values: { wall: 1 } });
  const bad = (index: number, error: string, warmup = false): Sample => ({ index, warmup, ok: false, error, values: { wall: 1 } });
  it('names the first failed attempt, warm-up included', () => {
    expect(firstFailure([ok(0, true), bad(1, 'exit code 3', true), bad(2, 'exit code 4')])).toBe('sample 1 (warm-up): exit code 3');
    expect(firstFailure([ok(0)])).toBeNull();
  });
  it('is added to a reason only when something failed', () => {
    expect(withFirstFailure('all 1 measured samples failed', [bad(0, 'killed by signal 9')])).toBe('all 1 measured samples failed; first failure: sample 0: killed by signal 9');
    expect(withFirstFailure('interrupted after 2 of 9 attempts (raw samples kept)', [ok(0), ok(1)])).toBe('interrupted after 2 of 9 attempts (raw samples kept)');
  });
  it('a valid result with a few failures gets a note counting them', () => {
    expect(failureNote([bad(0, 'exit code 1', true), ok(1), bad(2, 'timed out after 5 ms (killed)'), ok(3), ok(4)])).toBe(
      '1 of 4 measured samples failed (and 1 warm-up); first failure: sample 0 (warm-up): exit code 1',
    );
    expect(failureNote([ok(0), ok(1)])).toBeNull();
  });
});

describe('run checks', () => {
  it('durations', () => {
    expect(parseDuration('timeout', '500ms')).toBe(500);
    expect(parseDuration('timeout', '2s')).toBe(2000);
    expect(parseDuration('timeout', '1.5m')).toBe(90_000);
    expect(parseDuration('timeout', '3')).toBe(3000);
    expect(parseDuration('timeout', undefined)).toBeUndefined();
    expect(() => parseDuration('timeout', '0ms')).toThrow(/outside/);
    expect(() => parseDuration('timeout', '5h')).toThrow(/not a duration/);
  });
  it('duplicate cells', () => {
    expect(() => checkDuplicateCells('cold-start', [{ layer: 'process', runtime: 'native' }, { layer: 'process', runtime: 'node-wasi' }], ['noop', 'hello'])).not.toThrow();
    expect(() => checkDuplicateCells('cold-start', [{ layer: 'process', runtime: 'wasmedge@0.14.1' }, { layer: 'process', runtime: 'wasmedge@0.14.1' }], ['noop'])).toThrow(/named twice/);
    expect(() => checkDuplicateCells('cold-start', [{ layer: 'process', runtime: 'a b' }, { layer: 'process', runtime: 'a_b' }], ['noop'])).toThrow(/process\/a b noop and process\/a_b noop would write the same result file/);
  });
});
