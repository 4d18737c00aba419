/** Publishing from real results: PR Markdown, HTML (rendered by headless Chromium), github-action-benchmark JSON, JUnit, OpenMetrics. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeClaims } from '../../src/claims/engine.js';
import { loadClaims, SEED_CLAIMS_PATH } from '../../src/claims/load.js';
import { benchmarkEntries } from '../../src/output/benchmark-json.js';
import { htmlReport } from '../../src/output/html.js';
import { junitXml } from '../../src/output/junit.js';
import { openMetrics } from '../../src/output/openmetrics.js';
import { prMarkdown } from '../../src/output/pr-markdown.js';
import { COMMENT_MARKER, type ReportInput } from '../../src/output/report-input.js';
import { loadObservations } from '../../src/result/load-observations.js';
import { describeWith } from '../helpers/system.js';
import { cli, realCell, tmp, writeText } from './helpers.js';

let dir: string;
let input: ReportInput;

beforeAll(async () => {
  dir = tmp();
  const out = join(dir, 'run');
  await realCell('native', 'noop', 30, out, 'pub-run');
  await realCell('node-wasi-inproc', 'noop', 30, out, 'pub-run');
  await realCell('wasmedge', 'noop', 5, out, 'pub-run', { bin: join(dir, 'absent', 'wasmedge') }); // absent binary → not measured, with the reason
  const observations = loadObservations([out]);
  input = { title: 'test report', generatedAt: '2026-11-28T00:00:00Z', observations, verdicts: judgeClaims(loadClaims(SEED_CLAIMS_PATH()).claims, observations) };
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('publish formats', () => {
  it('Markdown for a PR comment: marker first, headline, a table per suite, claims and environment folded', () => {
    const md = prMarkdown(input);
    expect(md.startsWith(COMMENT_MARKER)).toBe(true);
    expect(md).toMatch(/^\*\*Claims\*\* — embedded: .*process: \d+ /m);
    expect(md).toMatch(/### cold-start · wall\n\n\| layer \| runtime \| fixture \| n \|.*\n.*\n\| embedded \| node-wasi-inproc \| noop \| 30 \| (µs|ms) \|/);
    expect(md).toMatch(/\| process \| native \| noop \| 30 \| (µs|ms) \|/);
    expect(md).toMatch(/<summary>Claims: \d+ confirmed, \d+ refuted, \d+ inconclusive, \d+ not measured<\/summary>/);
    expect(md).toMatch(/no cold-start result at layer kube/);
    expect(md).toMatch(/^Not measured: 1 of 3 cells — process: wasmedge\[\^1\]\.$/m);
    expect(md).toMatch(/^\[\^1\]: .*absent\/wasmedge not found on PATH; .* — 1 cell: cold-start at process: wasmedge × noop\.$/m);
    expect(md).toMatch(/<summary>Environment<\/summary>\n\n.*\d+ cores/);
  });

  it('HTML is one self-contained file with inline SVG charts', () => {
    const html = htmlReport(input);
    expect(html).not.toMatch(/<script|<link |src="http|href="http|@import|url\(/i);
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(5);
    expect(html).toMatch(/Latency CDF — cold-start · noop · wall/);
    expect(html).toMatch(/<polyline class="mark" fill="none" stroke="#4d4d4d" stroke-width="1.8" data-runtime="native"/); // native's grey
    expect(html).toMatch(/Ratio to native — cold-start · noop · wall p50/); // node-wasi-inproc against native
    expect(html).toMatch(/Memory per sample over the run/); // native's peak_rss per start, from the raw samples
    expect(html).toMatch(/no density results with a per-step series/);
  });

  it('github-action-benchmark JSON, JUnit XML and OpenMetrics carry the measured values', () => {
    const b = benchmarkEntries(input.observations);
    const wall = b.find((e) => e.name === 'cold-start process/native/noop wall p50');
    const m = input.observations.find((o) => o.result.runtime === 'native')?.result.metrics.find((x) => x.name === 'wall');
    expect(wall?.unit).toBe('ms');
    expect(wall?.value).toBeCloseTo((m?.summary.p50 ?? 0) / 1e6, 5);
    expect(wall?.range).toMatch(/^95% CI [\d.]+\.\.[\d.]+$/);
    const xml = junitXml(input.verdicts ?? []);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(input.verdicts?.length);
    expect(xml).toMatch(/<skipped message="not-measured: no cold-start result at layer kube"\/>/);
    const om = openMetrics(input.observations, input.verdicts);
    expect(om.endsWith('# EOF\n')).toBe(true);
    expect(om).toMatch(/^# TYPE edgebench_cold_start_wall_seconds summary$/m);
    const line = om.split('\n').find((l) => l.startsWith('edgebench_cold_start_wall_seconds{layer="process",runtime="native"') && l.includes('quantile="0.5"'));
    expect(Number(line?.split(' ').pop())).toBeCloseTo((m?.summary.p50 ?? 0) / 1e9, 9);
    for (const l of om.split('\n').filter((x) => x && !x.startsWith('#'))) expect(l).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*\{[^}]*\} [-+0-9.e]+$/);
  });

  it('edgebench publish writes each format; a truncated result file is one line and exit 2', async () => {
    const out = join(dir, 'report.md');
    const r = await cli('publish', join(dir, 'run'), '--format', 'md', '--out', out);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8').startsWith(COMMENT_MARKER)).toBe(true);
    const good = readFileSync(join(dir, 'run', 'cold-start__process__native__noop.json'), 'utf8');
    const cut = writeText(dir, 'truncated.json', good.slice(0, good.length / 2));
    const bad = await cli('publish', cut, '--format', 'html');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/truncated\.json: not a result file: invalid JSON .*is it truncated\?/);
    const v9 = writeText(dir, 'v9.json', good.replace('"schemaVersion": 2', '"schemaVersion": 9'));
    const bad9 = await cli('compare', v9, cut);
    expect(bad9.code).toBe(2);
    expect(bad9.stderr).toMatch(/v9\.json: result schema version 9 is not supported/);
  });
});

/** Chromium binary, or why not. */
function chromium(): string | null {
  for (const c of ['chromium', 'chromium-browser']) if (spawnSync('sh', ['-c', `command -v ${c}`]).status === 0) return null;
  return 'chromium not installed (scripts/install-deps.sh installs it)';
}

describeWith('HTML report in headless Chromium', chromium, () => {
  it('renders to a non-trivial screenshot', async () => {
    const html = join(dir, 'report.html');
    const r = await cli('publish', join(dir, 'run'), '--format', 'html', '--out', html);
    expect(r.code).toBe(0);
    const png = join(dir, 'report.png');
    const profile = tmp('eb-chromium-');
    execFileSync('chromium', [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--window-size=1280,2400', `--screenshot=${png}`, `file://${html}`,
    ], { timeout: 90_000, stdio: 'ignore' });
    rmSync(profile, { recursive: true, force: true });
    expect(existsSync(png)).toBe(true);
    const buf = readFileSync(png);
    expect(buf.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([buf.readUInt32BE(16), buf.readUInt32BE(20)]).toEqual([1280, 2400]);
    // A blank page compresses to a few kB; tables and charts do not.
    expect(statSync(png).size).toBeGreaterThan(50_000);
  }, 120_000);
});
