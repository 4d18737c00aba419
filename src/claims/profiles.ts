/**
 * The seed's scenario model as profiles: a profile's requirements are judged like claims, per stack
 * (layer × runtime), and a stack qualifies when every requirement is confirmed. No I/O.
 */
import type { Observation } from '../result/observation.js';
import type { Layer } from '../result/types.js';
import { judgeClaim, subjectOf } from './engine.js';
import type { Claim, ClaimVerdict, Comparator, MetricRef, Selector, VerdictKind } from './types.js';

export const PROFILES_SCHEMA = 'edgebench/profiles';
export const PROFILES_SCHEMA_VERSION = 1;

/** One requirement of a profile: a claim without layers (the stack's layer is used). */
export interface Requirement {
  id: string;
  text: string;
  metric: MetricRef;
  atLayer?: Claim['atLayer'];
  comparator: Comparator;
  threshold: Claim['threshold'];
  feeds?: Pick<Selector, 'fixtures' | 'kinds'>;
}

/** A scenario profile. */
export interface Profile {
  id: string;
  name: string;
  requirements: Requirement[];
  /** Deployment conditions the profile assumes (stated, not measured), e.g. "unstable network". */
  conditions?: string[];
}

/** A profiles file. */
export interface ProfilesFile {
  schema: typeof PROFILES_SCHEMA;
  schemaVersion: typeof PROFILES_SCHEMA_VERSION;
  profiles: Profile[];
}

/** A requirement's outcome for one stack. */
export interface RequirementOutcome {
  requirementId: string;
  text: string;
  verdict: VerdictKind;
  /** Headroom: threshold ÷ estimate for "<" requirements, estimate ÷ threshold for ">" (> 1 means met with room). */
  margin?: number;
  why: string;
}

/** A profile's assessment for one stack. */
export interface ProfileAssessment {
  profileId: string;
  profileName: string;
  layer: Layer;
  runtime: string;
  status: 'qualifies' | 'does not qualify' | 'undetermined';
  /** Smallest margin over the requirements, when it qualifies. */
  margin?: number;
  requirements: RequirementOutcome[];
  conditions: string[];
}

const WORST: VerdictKind[] = ['refuted', 'not-measured', 'inconclusive', 'confirmed'];

/** Margin of a verdict's estimate against its requirement. */
function marginOf(v: ClaimVerdict, r: Requirement): number | undefined {
  if (v.estimate === undefined) return undefined;
  if (r.comparator === '<' || r.comparator === '<=') return v.estimate === 0 ? Infinity : r.threshold.value / v.estimate;
  return r.threshold.value === 0 ? Infinity : v.estimate / r.threshold.value;
}

/** Runtime label of an observation (plan label or runtime name). */
function runtimeOf(o: Observation): string {
  return subjectOf(o).split('/')[0] ?? o.result.runtime;
}

/** Assesses every profile for every stack (layer × runtime) present in the observations. */
export function assessProfiles(profiles: readonly Profile[], observations: readonly Observation[], seed = 1): ProfileAssessment[] {
  const stacks = new Map<string, { layer: Layer; runtime: string; obs: Observation[] }>();
  for (const o of observations) {
    const k = `${o.result.layer}|${runtimeOf(o)}`;
    const s = stacks.get(k) ?? { layer: o.result.layer, runtime: runtimeOf(o), obs: [] };
    s.obs.push(o);
    stacks.set(k, s);
  }
  const out: ProfileAssessment[] = [];
  for (const stack of stacks.values()) {
    for (const p of profiles) {
      const reqs: RequirementOutcome[] = p.requirements.map((r) => {
        const claim: Claim = { id: r.id, text: r.text, metric: r.metric, comparator: r.comparator, threshold: r.threshold, layers: [stack.layer], ...(r.atLayer ? { atLayer: r.atLayer } : {}), ...(r.feeds ? { feeds: r.feeds } : {}) };
        const verdicts = judgeClaim(claim, stack.obs, { seed });
        const worst = [...verdicts].sort((a, b) => WORST.indexOf(a.verdict) - WORST.indexOf(b.verdict))[0];
        if (!worst) return { requirementId: r.id, text: r.text, verdict: 'not-measured' as const, why: 'nothing judged' };
        const margins = verdicts.map((v) => marginOf(v, r)).filter((m): m is number => m !== undefined);
        return { requirementId: r.id, text: r.text, verdict: worst.verdict, ...(margins.length ? { margin: Math.min(...margins) } : {}), why: `${worst.subject}: ${worst.why}` };
      });
      const status = reqs.some((r) => r.verdict === 'refuted') ? 'does not qualify' : reqs.every((r) => r.verdict === 'confirmed') ? 'qualifies' : 'undetermined';
      const margins = reqs.map((r) => r.margin).filter((m): m is number => m !== undefined);
      out.push({ profileId: p.id, profileName: p.name, layer: stack.layer, runtime: stack.runtime, status, ...(status === 'qualifies' && margins.length ? { margin: Math.min(...margins) } : {}), requirements: reqs, conditions: p.conditions ?? [] });
    }
  }
  return out;
}
