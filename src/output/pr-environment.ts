/** The environment block of the PR comment: host, harness version, runtime tools. No I/O. */
import { hostLine } from './format.js';
import type { Result } from '../result/types.js';
import { mdText } from './pr-md.js';

/** Host and harness line, then the runtimes the results used (each once); empty for no results. */
export function environmentMarkdown(results: readonly Result[]): string {
  const first = results[0];
  if (!first) return '';
  const out = [mdText(`${hostLine(first)}.`)];
  const hosts = new Set(results.map((r) => r.environment.host.hostname));
  if (hosts.size > 1) out.push('', `Results from ${hosts.size} hosts; the line above is the first result's.`);
  const tools = new Map<string, string>();
  for (const r of results)
    for (const t of r.environment.tools)
      tools.set(`${t.name}@${t.path}`, `${t.name} ${t.version ?? '?'}${t.sha256 ? ` (sha256 ${t.sha256.slice(0, 12)})` : ''}`);
  if (tools.size) out.push('', `Runtimes: ${mdText([...tools.values()].join(', '))}.`);
  return out.join('\n');
}
