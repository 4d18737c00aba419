/** Renders a plan as text: the exact checks and commands, in order (what --dry-run prints). */
import type { Plan, Step } from './types.js';

function block(label: string, text: string): string[] {
  const lines = text.split('\n');
  if (lines.length === 1) return [`      ${label.padEnd(7)} ${lines[0]}`];
  return [`      ${label.padEnd(7)} |`, ...lines.map((l) => `        ${l}`)];
}

function stepLines(s: Step, i: number, n: number): string[] {
  const num = String(i + 1).padStart(String(n).length);
  const out = [`${num}. [${s.kind}] ${s.id} — ${s.title}`];
  if (s.artifact) {
    if (s.kind === 'fetch') out.push(`      url:    ${s.artifact.url}`);
    out.push(`      sha256: ${s.artifact.sha256 ?? `NOT PINNED (set ${s.artifact.pinPath})`}`);
  }
  if (s.dest) out.push(`      dest:   ${s.dest} (mode ${s.mode ?? '0644'})`);
  out.push(...block('check:', s.check));
  if (s.kind === 'verify') {
    if (s.retryS) out.push(`      retry:  up to ${s.retryS} s`);
  } else {
    out.push(...block('run:', s.run));
  }
  return out;
}

/** The whole plan as text. */
export function renderPlan(p: Plan): string {
  const out = [`# ${p.title}`, '# every target script starts with:', ...p.preamble.split('\n').map((l) => `#   ${l}`), ''];
  p.steps.forEach((s, i) => out.push(...stepLines(s, i, p.steps.length)));
  if (p.notes.length) out.push('', ...p.notes.map((n) => `note: ${n}`));
  return out.join('\n') + '\n';
}
