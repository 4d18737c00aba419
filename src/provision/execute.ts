/** The executor: runs a plan's steps in order on a transport, skipping those whose check says they are done. */
import { UserError } from '../util/errors.js';
import { cachedPath, fetchVerified, isCached } from './fetch.js';
import { q } from './sh.js';
import type { Transport } from './transport.js';
import type { Artifact, PinnedArtifact, Plan, Step } from './types.js';

/** What happened to one step. */
export interface StepOutcome {
  id: string;
  status: 'done-already' | 'changed' | 'verified';
  ms: number;
}

/** Options of one execution. */
export interface ExecuteOptions {
  cacheDir: string;
  /** One line per step as it finishes. */
  log?: (line: string) => void;
}

/** The one-line refusal for artifacts without a pinned checksum. */
export function unpinnedRefusal(unpinned: Artifact[], catalogueFile: string): UserError {
  const first = unpinned[0]!;
  const more = unpinned.length > 1 ? ` (and ${unpinned.length - 1} more: ${unpinned.slice(1).map((a) => a.pinPath).join(', ')})` : '';
  return new UserError(
    `refusing to provision: ${first.name} has no pinned sha256 (${first.pinPath} in ${first.pinFile ?? catalogueFile})${more} — download ${first.url} on a trusted machine, check it against the project's published checksum, and write its sha256 there${first.pinFile ? '' : ' (or pass --catalogue FILE)'}`,
  );
}

function pinned(a: Artifact | undefined): PinnedArtifact {
  if (!a || typeof a.sha256 !== 'string') throw new Error('internal: unpinned artifact reached the executor');
  return a as PinnedArtifact;
}

/** Exit code a target script uses when a step ran but its check still fails. */
const POSTCHECK_FAILED = 197;

function tail(s: string): string {
  return s.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
}

async function passes(t: Transport, preamble: string, check: string): Promise<boolean> {
  const r = await t.sh(`${preamble}\n${check}\n`, 120_000);
  return r.code === 0;
}

/** Evaluates many checks in one target script; returns the ids whose check passed. */
async function batchChecks(t: Transport, plan: Plan, steps: Step[]): Promise<Set<string>> {
  const lines = steps.map((s, i) => `if ( ${s.check}\n) >/dev/null 2>&1; then echo "EDGEBENCH_PASS ${i}"; fi`);
  const r = await t.sh(`${plan.preamble}\n${lines.join('\n')}\n`, 300_000);
  const passed = new Set<string>();
  for (const m of r.stdout.matchAll(/^EDGEBENCH_PASS (\d+)$/gm)) passed.add(steps[Number(m[1])]!.id);
  return passed;
}

async function runStep(t: Transport, plan: Plan, s: Step, o: ExecuteOptions): Promise<StepOutcome['status']> {
  if (s.kind === 'fetch') return (await isCached(o.cacheDir, pinned(s.artifact))) ? 'done-already' : (await fetchVerified(o.cacheDir, pinned(s.artifact)), 'changed');
  if (s.kind === 'verify') {
    const until = Date.now() + (s.retryS ?? 0) * 1000;
    for (;;) {
      if (await passes(t, plan.preamble, s.check)) return 'verified';
      if (Date.now() >= until) throw new UserError(`verification ${s.id} failed: ${s.title}`, 1);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  if (await passes(t, plan.preamble, s.check)) return 'done-already';
  if (s.kind === 'upload') {
    const a = pinned(s.artifact);
    await t.upload(cachedPath(o.cacheDir, a.sha256), s.dest!, s.mode ?? '0644');
    if (s.list) {
      const [d, l] = [q(s.dest!), q(s.list)];
      const r = await t.sh(`${plan.preamble}\nmkdir -p "$(dirname ${l})" && { grep -qxF -e ${d} ${l} 2>/dev/null || printf '%s\\n' ${d} >> ${l}; }\n`);
      if (r.code !== 0) throw new UserError(`step ${s.id}: recording ${s.dest} failed: ${tail(r.stderr)}`, 1);
    }
  } else {
    // The run, then the step's own check as its postcondition, in one round trip (set -e: a failing run exits with its code).
    const r = await t.sh(`${plan.preamble}\n(\n${s.run}\n)\n( ${s.check} ) >/dev/null 2>&1 || exit ${POSTCHECK_FAILED}\n`);
    if (r.code === POSTCHECK_FAILED) throw new UserError(`step ${s.id} ran but its check still fails: ${s.check.split('\n')[0]}`, 1);
    if (r.code !== 0) throw new UserError(`step ${s.id} failed (exit ${r.code}): ${tail(r.stderr) || tail(r.stdout) || 'no output'}`, 1);
    return 'changed';
  }
  // Postcondition: the step's own check must now pass, or the step is not idempotent/correct.
  if (!(await passes(t, plan.preamble, s.check))) throw new UserError(`step ${s.id} ran but its check still fails: ${s.check.split('\n')[0]}`, 1);
  return 'changed';
}

/**
 * Executes a plan. Refuses (before anything) when an artifact lacks a pinned sha256; then fetches and
 * verifies every artifact on the controller before the first change on the target.
 */
export async function executePlan(t: Transport, plan: Plan, o: ExecuteOptions & { catalogueFile: string }): Promise<StepOutcome[]> {
  if (plan.unpinned.length) throw unpinnedRefusal(plan.unpinned, o.catalogueFile);
  const order = [...plan.steps.filter((s) => s.kind === 'fetch'), ...plan.steps.filter((s) => s.kind !== 'fetch')];
  const out: StepOutcome[] = [];
  // One round trip evaluates every target check up front. Until a step changes something, the
  // target is as it was then, so a step whose check passed there is done without asking again.
  let passedUpFront: Set<string> | null = null;
  for (const [i, s] of order.entries()) {
    const t0 = performance.now();
    let status: StepOutcome['status'];
    if (s.kind !== 'fetch' && passedUpFront === null) passedUpFront = await batchChecks(t, plan, order.filter((x) => x.kind !== 'fetch'));
    if (s.kind !== 'fetch' && passedUpFront?.has(s.id)) status = s.kind === 'verify' ? 'verified' : 'done-already';
    else status = await runStep(t, plan, s, o);
    if (status === 'changed' && s.kind !== 'fetch') passedUpFront = new Set(); // the target changed: ask step by step from here
    const ms = performance.now() - t0;
    out.push({ id: s.id, status, ms });
    o.log?.(`${String(i + 1).padStart(3)}/${order.length} ${status.padEnd(12)} ${s.id} (${ms.toFixed(0)} ms)`);
  }
  return out;
}
