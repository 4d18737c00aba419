/**
 * A single-file HTML report: the key charts first (latency CDF and histogram per fixture, ratio to native, density
 * curve, memory per instance), then the claims verdicts, then the tables, then timelines and trends. Inline SVG, no
 * scripts, no external resources: it views offline. No I/O.
 */
import type { ClaimVerdict } from '../claims/types.js';
import { tally } from '../claims/engine.js';
import type { Observation } from '../result/observation.js';
import { hostLine } from './format.js';
import { displayRuntime } from '../result/label.js';
import { tallyLine } from './claims-table.js';
import { runtimeColours } from './charts/colours.js';
import { densityCharts } from './charts/density.js';
import { latencyCharts } from './charts/latency.js';
import { memoryOverTimeCharts, memoryPerInstanceCharts } from './charts/memory.js';
import type { Colours } from './charts/palette.js';
import { ratioCharts } from './charts/ratio.js';
import { trendCharts } from './charts/trend.js';
import { claimsSection, comparisonSection, htmlTable, resultsSection } from './html-tables.js';
import { xmlEscape as esc } from './junit.js';
import { PROFILE_COLUMNS, profileRows } from './profiles-table.js';
import type { ReportInput } from './report-input.js';
import type { Renderer } from './renderer.js';

/** Row class for a claims row by its verdict column. */
function verdictClass(row: string[]): string {
  return `v-${(row[4] ?? '').replace(/[^a-z]/g, '')}`;
}

/** One colour per runtime label for every chart of this report. */
function reportColours(input: ReportInput): Colours {
  return runtimeColours([...input.observations.map((o) => displayRuntime(o.result)), ...(input.trends ?? []).map((t) => t.runtime)]);
}

/** A titled group of charts. */
function charts(title: string, list: readonly string[]): string {
  return `<h3>${esc(title)}</h3><div class="charts">${list.map((c) => `<figure>${c}</figure>`).join('')}</div>`;
}

/** The environment line of the first result. */
function environment(observations: readonly Observation[]): string {
  const first = observations[0]?.result;
  if (!first) return 'no results';
  return hostLine(first);
}

/** Renders the whole report. */
export function htmlReport(input: ReportInput): string {
  const obs = input.observations;
  const results = obs.map((o) => o.result);
  const colours = reportColours(input);
  const verdicts: ClaimVerdict[] = input.verdicts ?? [];
  const measured = results.filter((r) => r.status === 'ok').length;
  const summary = `${results.length} result(s): ${measured} measured, ${results.length - measured} not measured or invalid.${verdicts.length ? ` Claims: ${tallyLine(tally(verdicts))}.` : ''}`;
  const key = [
    charts('Latency per fixture', latencyCharts(obs, colours)),
    charts('Ratio to native', ratioCharts(obs, colours)),
    charts('Density curve', densityCharts(obs, colours)),
    charts('Memory per instance', memoryPerInstanceCharts(obs, colours)),
  ];
  const tables: string[] = [];
  if (input.comparisons?.length)
    tables.push(
      `<h3>Comparison with the baseline${input.baseline ? ` (${esc(input.baseline)})` : ''}</h3>${comparisonSection(input.comparisons, input.compareStatistic)}`,
    );
  tables.push(`<h3>Key metrics</h3>${resultsSection(results)}`);
  if (input.profiles?.length) tables.push(`<h3>Scenario profiles</h3>${htmlTable(PROFILE_COLUMNS, profileRows(input.profiles))}`);
  const sources = [
    ...new Set(
      obs
        .filter((o) => o.result.status === 'ok')
        .map((o) => `${displayRuntime(o.result)}/${o.result.workload?.name ?? '-'}: values from ${o.source}${o.sourceNote ? ` (${o.sourceNote})` : ''}`),
    ),
  ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)}</title>
<style>
body{font-family:sans-serif;margin:24px;color:#222;max-width:1400px}
table{border-collapse:collapse;font-size:12px;margin:8px 0 16px}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}
.charts{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
.charts figure{margin:0;flex:1 1 520px;max-width:642px;min-width:0}
.charts svg{border:1px solid #ddd;display:block;width:100%;height:auto}
ol.reasons{font-size:12px;padding-left:1.2em;list-style:none}
ol.reasons .cells{color:#555}
tr.v-confirmed td:nth-child(5){background:#dff5df}
tr.v-refuted td:nth-child(5){background:#f8d7d7}
tr.v-inconclusive td:nth-child(5){background:#fff3c4}
tr.v-notmeasured td:nth-child(5){background:#eee}
</style></head><body>
<h1>${esc(input.title)}</h1>
<p>${esc(environment(obs))}.<br>Generated ${esc(input.generatedAt)}. ${esc(summary)}</p>
<section id="charts"><h2>Key charts</h2>${key.join('\n')}</section>
<section id="verdicts"><h2>Claims</h2>${verdicts.length ? `<p>${esc(tallyLine(tally(verdicts)))}.</p>${claimsSection(verdicts, verdictClass)}` : '<p>No claims judged.</p>'}</section>
<section id="tables"><h2>Tables</h2>${tables.join('\n')}</section>
<section id="timelines"><h2>Memory over time and trends</h2>${charts('Memory over time', memoryOverTimeCharts(obs, colours))}${charts('Trend', trendCharts(input.trends ?? [], colours))}</section>
<section id="data"><h2>Data</h2><ul>${sources.map((s) => `<li>${esc(s)}</li>`).join('')}</ul></section>
</body></html>
`;
}

/** `html`: one file with inline SVG charts. */
export const htmlRenderer: Renderer = { format: 'html', render: htmlReport };
