/** The one-line refusal a function throws: a UserError (exit 2) whose message has no line break. */
import { expect } from 'vitest';
import { UserError } from '../../src/util/errors.js';

/** Calls `fn`, expects a one-line UserError with exit code 2, and returns its message. */
export function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).exitCode).toBe(2);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}
