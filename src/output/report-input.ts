/** What every renderer is given (all loaded beforehand; renderers do no I/O). */
import type { PairComparison } from '../compare/compare.js';
import type { Missing } from '../compare/gate.js';
import type { ProfileAssessment } from '../claims/profiles.js';
import type { ClaimVerdict } from '../claims/types.js';
import type { Trend } from '../history/trend.js';
import type { Observation } from '../result/observation.js';
import type { Result } from '../result/types.js';

/** The input of every renderer: the observations, and what the command loaded beside them. */
export interface ReportInput extends RenderContext {
  title: string;
  generatedAt: string;
  observations: Observation[];
  verdicts?: ClaimVerdict[];
  profiles?: ProfileAssessment[];
  comparisons?: PairComparison[];
  compareStatistic?: string;
  /** Label of the baseline compared against (run id or path). */
  baseline?: string;
  trends?: Trend[];
}

/** The marker the PR workflow finds its one comment by. */
export const COMMENT_MARKER = '<!-- edgebench-report -->';

/** Settings a renderer takes from the command line. */
export interface RenderOptions {
  /** benchmark-json: the customSmallerIsBetter ('smaller') or customBiggerIsBetter ('bigger') entries. */
  direction?: 'smaller' | 'bigger';
  /** openmetrics: give every sample its result's end time. */
  timestamps?: boolean;
  /** junit: cells missing on one side are skipped, not failed. */
  allowMissing?: boolean;
}

/** What a renderer may read besides the report's data: cells the comparison missed, settings, and where to say something. */
export interface RenderContext {
  /** Cells and metrics a comparison with the baseline could not cover (gateOf). */
  missing?: Missing[];
  options?: RenderOptions;
  /** Where a renderer says something beside its text (publish: stderr). */
  note?: (line: string) => void;
}

/** The results behind the input's observations. */
export function resultsOf(input: ReportInput): Result[] {
  return input.observations.map((o) => o.result);
}

/** An input of results alone (`report`: its renderers read the results, not their values). */
export function resultsInput(results: readonly Result[], title: string, generatedAt: string): ReportInput {
  return { title, generatedAt, observations: results.map((result) => ({ result, values: {}, source: 'histogram' })) };
}
