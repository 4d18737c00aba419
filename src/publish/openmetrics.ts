/**
 * OpenMetrics text exposition: per metric a gauge family in base units (seconds, bytes) with
 * quantile labels; claims as a stateset. No I/O.
 */
import type { ClaimVerdict } from '../claims/types.js';
import type { Observation } from '../result/observation.js';
import { runtimeLabel } from '../result/label.js';

/** Escapes a label value. */
function lv(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Metric-name-safe token. */
function tok(s: string): string {
  return s.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** Base unit name and divisor for a stored unit. */
function base(unit: string): { suffix: string; div: number } {
  if (unit === 'ns') return { suffix: 'seconds', div: 1e9 };
  if (unit === 'bytes') return { suffix: 'bytes', div: 1 };
  if (unit === 'millicores') return { suffix: 'cores', div: 1000 };
  if (unit === 'percent') return { suffix: 'ratio', div: 100 };
  return { suffix: tok(unit), div: 1 };
}

/** Renders results (and optionally claim verdicts) as OpenMetrics text, ending with # EOF. */
export function openMetrics(observations: readonly Observation[], verdicts: readonly ClaimVerdict[] = []): string {
  const families = new Map<string, { help: string; unit: string; lines: string[] }>();
  for (const o of observations) {
    const r = o.result;
    if (r.status !== 'ok') continue;
    for (const m of r.metrics) {
      const b = base(m.unit);
      const name = `edgebench_${tok(r.suite)}_${tok(m.name)}_${b.suffix}`;
      const fam = families.get(name) ?? { help: `${m.description} (${r.suite}; clock ${m.clock.source})`, unit: b.suffix, lines: [] };
      const simulated = r.target.simulated === null ? 'unknown' : String(r.target.simulated);
      const labels = `layer="${lv(r.layer)}",runtime="${lv(runtimeLabel(r))}",workload="${lv(r.workload?.name ?? '')}",run_id="${lv(r.runId)}",simulated="${simulated}"`;
      for (const [q, v] of [['0.5', m.summary.p50], ['0.9', m.summary.p90], ['0.99', m.summary.p99], ['1', m.summary.max]] as const) {
        fam.lines.push(`${name}{${labels},quantile="${q}"} ${v / b.div}`);
      }
      families.set(name, fam);
    }
  }
  const out: string[] = [];
  for (const [name, f] of families) {
    out.push(`# TYPE ${name} gauge`, `# UNIT ${name} ${f.unit}`, `# HELP ${name} ${f.help.replace(/\n/g, ' ')}`, ...f.lines);
  }
  if (verdicts.length) {
    out.push('# TYPE edgebench_claim stateset', '# HELP edgebench_claim Claim verdict per layer and subject (1 marks the verdict).');
    for (const v of verdicts) {
      for (const s of ['confirmed', 'refuted', 'inconclusive', 'not-measured']) {
        out.push(`edgebench_claim{claim="${lv(v.claimId)}",layer="${lv(v.layer)}",subject="${lv(v.subject)}",edgebench_claim="${s}"} ${v.verdict === s ? 1 : 0}`);
      }
    }
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}
