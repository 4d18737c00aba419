/** What a published report is built from (all loaded beforehand; renderers do no I/O). */
import type { PairComparison } from '../compare/compare.js';
import type { ProfileAssessment } from '../claims/profiles.js';
import type { ClaimVerdict } from '../claims/types.js';
import type { Trend } from '../history/trend.js';
import type { Observation } from '../result/observation.js';

/** Inputs of the Markdown and HTML reports. */
export interface ReportInput {
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
