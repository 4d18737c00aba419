/**
 * Tests that need a system tool or daemon (crun, containerd, a cluster) run where it is present.
 * Elsewhere they skip with the reason — except under EDGEBENCH_REQUIRE_SYSTEM=1 (set by .ci/run),
 * where an absent requirement fails the test instead, so CI cannot go green by skipping.
 */
import { describe, it } from 'vitest';
import { env } from '../../src/env/environment.js';

/** Whether .ci/run demands every system requirement. */
export const REQUIRE_SYSTEM = env.requireSystem();

/** A requirement check: null when satisfied, else why not. */
export type Requirement = () => string | null;

/** describe() that skips (locally) or fails (in CI) when a requirement is missing. */
export function describeWith(name: string, requirement: Requirement, body: () => void): void {
  const missing = requirement();
  if (missing === null) {
    describe(name, body);
  } else if (REQUIRE_SYSTEM) {
    describe(name, () => {
      it(`requires: ${missing}`, () => {
        throw new Error(`${name}: requirement missing in CI: ${missing}`);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${missing})`, body);
  }
}
