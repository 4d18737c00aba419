/** `run --plan`: a plan file's cells through the one cell loop (execute-plan.ts), then its claims judged and a combined report.md. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeClaims } from '../claims/engine.js';
import { loadClaims, SEED_CLAIMS_PATH } from '../claims/load.js';
import { prMarkdown } from '../output/pr-markdown.js';
import { observationOf } from '../result/load-observations.js';
import { executePlan, type PlanExecution, type PlanRunOptions } from './execute-plan.js';
import type { Plan } from './plan.js';

/** What a plan run produced: its cells' outcomes and the combined report. */
export interface PlanRunOutcome extends PlanExecution {
  reportPath: string;
}

/** Runs a plan file's cells (executePlan), then judges the claims over them and writes report.md. */
export async function runPlan(plan: Plan, planPath: string, o: PlanRunOptions): Promise<PlanRunOutcome> {
  const { runDir, outcomes, unmeasured } = await executePlan(plan, planPath, o);
  const observations = outcomes.map(({ outcome }) => observationOf(outcome.result, outcome.path));
  const verdicts = judgeClaims(loadClaims(SEED_CLAIMS_PATH()).claims, observations);
  const reportPath = join(runDir, 'report.md');
  if (outcomes.length)
    writeFileSync(
      reportPath,
      prMarkdown({ title: `edgebench plan ${plan.name} (run ${o.runId})`, generatedAt: new Date().toISOString(), observations, verdicts }),
    );
  return { runDir, outcomes, reportPath, unmeasured };
}
