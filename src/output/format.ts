/** Human formatting of values in their units. */
import type { Unit } from '../core/histogram.js';
import type { Result } from '../result/types.js';
import { mdTable } from './pr-md.js';

export { textTable, withLayout, type TableLayout, type TableOptions } from './text-table.js';

/** Formats nanoseconds with a fitting unit (ns, µs, ms, s). */
export function formatNs(ns: number): string {
  const a = Math.abs(ns);
  if (a < 1e3) return `${ns.toFixed(0)} ns`;
  if (a < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  if (a < 1e9) return `${(ns / 1e6).toFixed(a < 1e7 ? 3 : 2)} ms`;
  return `${(ns / 1e9).toFixed(3)} s`;
}

/** Formats bytes in binary units. */
export function formatBytes(b: number): string {
  const a = Math.abs(b);
  if (a < 1024) return `${b.toFixed(0)} B`;
  if (a < 1024 ** 2) return `${(b / 1024).toFixed(1)} KiB`;
  if (a < 1024 ** 3) return `${(b / 1024 ** 2).toFixed(1)} MiB`;
  return `${(b / 1024 ** 3).toFixed(2)} GiB`;
}

/** Formats a value of any unit. */
export function formatValue(v: number, unit: Unit): string {
  switch (unit) {
    case 'ns':
      return formatNs(v);
    case 'bytes':
      return formatBytes(v);
    case 'percent':
      return `${v.toFixed(1)} %`;
    case 'millicores':
      return `${v.toFixed(0)} m`;
    default:
      return String(Math.round(v * 100) / 100);
  }
}

/** Formats a ratio like 12.3× with a CI. */
export function formatRatio(r: number, low?: number, high?: number): string {
  const f = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  return low !== undefined && high !== undefined ? `${f(r)}× [${f(low)}–${f(high)}]` : `${f(r)}×`;
}

/** Renders rows as a GitHub-flavoured Markdown table. */
export function markdownTable(header: string[], rows: string[][]): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|');
  return mdTable(
    header.map(esc),
    rows.map((r) => r.map(esc)),
  );
}

/** The host and harness of a result, as the HTML report and the PR comment print it: CPU, cores, memory, OS, kernel, Node; edgebench version (commit). */
export function hostLine(r: Result): string {
  const h = r.environment.host;
  return `${h.cpuModel}, ${h.cores} cores, ${formatBytes(h.memoryBytes)}, ${h.os}, kernel ${h.kernel}, Node ${h.nodeVersion}; edgebench ${r.harness.version} (${r.harness.gitCommit?.slice(0, 12) ?? 'no git'})`;
}
