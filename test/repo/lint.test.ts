// The lint and format check (scripts/lint.mjs, Biome configured by biome.json) as part of `npm test`:
// fails listing violations that are not in scripts/lint-baseline.json. See README "Development".
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './import-graph.js';

interface LintReport {
  files: number;
  ms: number;
  fixed: number;
  totals: Record<string, number>;
  baselineTotals: Record<string, number>;
  newViolations: { rule: string; file: string; line: number; message: string }[];
}

function lint(root: string, ...args: string[]): { status: number; report: LintReport } {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/lint.mjs'), '--root', root, '--json', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1) throw new Error(`scripts/lint.mjs exited ${r.status}: ${r.stderr}`);
  const start = r.stdout.indexOf('{');
  if (start < 0) throw new Error(`scripts/lint.mjs exited ${r.status} with no report: ${r.stderr}`);
  return { status: r.status ?? -1, report: JSON.parse(r.stdout.slice(start)) as LintReport };
}

describe('lint and format check', () => {
  it('finds no new violations in the tree (fix them, or see README "Development")', () => {
    const { status, report } = lint(ROOT);
    const sum = (t: Record<string, number>): number => Object.values(t).reduce((a, b) => a + b, 0);
    console.log(
      `lint: ${report.files} files in ${report.ms} ms; ${sum(report.totals)} violations (baseline ${sum(report.baselineTotals)}, ${report.fixed} fixed): ` +
        Object.entries(report.totals)
          .map(([rule, n]) => `${rule} ${n}`)
          .join(', '),
    );
    const listed = report.newViolations.slice(0, 30).map((v) => `${v.file}:${v.line} ${v.rule}: ${v.message}`);
    if (report.newViolations.length > listed.length) listed.push(`… and ${report.newViolations.length - listed.length} more (npm run lint)`);
    expect(listed, 'new lint/format violations (npm run lint shows them; fix or format the lines)').toEqual([]);
    expect(status).toBe(0);
  }, 180_000);

  describe('what counts as new', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgebench-lint-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (rel: string, text: string): void => {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    };
    cpSync(join(ROOT, 'biome.json'), join(dir, 'biome.json'));
    // An unused import (lint) and a constructor with parameter properties on one line (format: Biome splits it).
    const old = ["import { join } from 'node:path';", '', 'export class Old {', '  constructor(readonly a: string, readonly b: number) {}', '}', ''].join('\n');

    it('reports every violation while there is no baseline', () => {
      write('src/old.ts', old);
      const { status, report } = lint(dir);
      expect(status).toBe(1);
      expect(report.newViolations.map((v) => `${v.file}:${v.line} ${v.rule}`).sort()).toEqual([
        'src/old.ts:1 correctness/noUnusedImports',
        'src/old.ts:4 format',
      ]);
    }, 60_000);

    it('accepts recorded ones, also when the code moves to another file or gains lines around it', () => {
      execFileSync(process.execPath, [join(ROOT, 'scripts/lint.mjs'), '--root', dir, '--accept']);
      expect(lint(dir).report.newViolations).toEqual([]);
      mkdirSync(join(dir, 'suites/moved'), { recursive: true });
      renameSync(join(dir, 'src/old.ts'), join(dir, 'suites/moved/old.ts'));
      write('suites/moved/old.ts', `// moved here\n\n${old}export const x = 1;\n`);
      const { status, report } = lint(dir);
      expect(report.newViolations).toEqual([]);
      expect(status).toBe(0);
    }, 60_000);

    it('fails on a new violation, and on an edit of the flagged code itself', () => {
      write('suites/moved/old.ts', old.replace('readonly b: number', 'readonly b: bigint'));
      write('src/new.ts', 'export function f(x: any): number {\n  return x;\n}\n');
      const { status, report } = lint(dir);
      expect(status).toBe(1);
      expect(report.newViolations.map((v) => `${v.file}:${v.line} ${v.rule}`).sort()).toEqual([
        'src/new.ts:1 suspicious/noExplicitAny',
        'suites/moved/old.ts:4 format',
      ]);
    }, 60_000);

    it('--update lowers the baseline once a violation is fixed, never raises it', () => {
      write('src/new.ts', 'export function f(x: number): number {\n  return x;\n}\n');
      write('suites/moved/old.ts', old.replace("import { join } from 'node:path';\n\n", '').replace('readonly b: number', 'readonly b: bigint'));
      const r = lint(dir, '--update');
      expect(r.report.fixed).toBe(2); // the unused import and the old (edited) constructor line
      expect(r.report.newViolations.map((v) => v.rule)).toEqual(['format']);
      expect(lint(dir).report.baselineTotals).toEqual({});
    }, 60_000);
  });
});
