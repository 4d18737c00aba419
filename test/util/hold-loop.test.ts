import { describe, expect, it } from 'vitest';
import { withLoopHeld } from '../../src/util/hold-loop.js';

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('withLoopHeld', () => {
  it('keeps one ref\'d timer alive while fn runs, and none after', async () => {
    const before = timers();
    let during = -1;
    const v = await withLoopHeld(async () => {
      during = timers();
      await WebAssembly.compile(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
      return 42;
    });
    expect(v).toBe(42);
    expect(during).toBe(before + 1);
    expect(timers()).toBe(before);
  });

  it('releases the loop when fn throws, and passes the error on', async () => {
    const before = timers();
    await expect(withLoopHeld(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(timers()).toBe(before);
  });
});
