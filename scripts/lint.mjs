#!/usr/bin/env node
// Lint and format check with a baseline: fails only on violations that are NEW.
//
//   node scripts/lint.mjs             check; exit 1 listing new violations (npm run lint)
//   node scripts/lint.mjs --json      the same as JSON on stdout (used by test/repo/lint.test.ts)
//   node scripts/lint.mjs --update    ratchet: drop baseline entries that are gone (never adds any)
//   node scripts/lint.mjs --accept    record every current violation as the baseline (deliberate; say why in the commit)
//   --root DIR                        check another tree (its own biome.json; tests use this)
//
// Tools: Biome (biome.json at the root) both lints (`biome lint`) and formats (`biome format` run on a copy
// of the files; the tree itself is never rewritten here).
//
// What "new" means: a violation is identified by its rule and the text of the code it points at
// (whitespace-collapsed lines, hashed), not by file or line number. The baseline
// (scripts/lint-baseline.json) holds, per rule, how many times each such text was flagged. A violation is
// new when its identity is flagged more often now than in the baseline. So moving code between files or
// editing around an old violation does not fail; writing a new violation, or editing the flagged code itself,
// does. Format violations are the hunks of a diff between a file and Biome's formatting of it, identified
// by the original lines of the hunk (rule name "format").
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..');
const BIOME = join(REPO, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');

/** The files the check covers (keep in step with `files.includes` in biome.json). */
const DIRS = ['src', 'suites', 'bench', 'test', 'scripts'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'k6']);
const EXT = /\.(ts|mts|mjs)$/;

function listFiles(root) {
  const out = [];
  const walk = (rel) => {
    for (const name of readdirSync(join(root, rel))) {
      if (name.startsWith('.') || SKIP_DIRS.has(name)) continue;
      const child = rel ? `${rel}/${name}` : name;
      const st = statSync(join(root, child), { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(child);
      else if (EXT.test(name) && !name.endsWith('.d.ts')) out.push(child);
    }
  };
  for (const d of DIRS) if (existsSync(join(root, d))) walk(d);
  for (const name of readdirSync(root)) if (/\.(ts|mts|mjs)$/.test(name) && !name.endsWith('.d.ts') && statSync(join(root, name)).isFile()) out.push(name);
  return out.sort();
}

const readLines = (path) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n') : []);
const norm = (lines) => lines.map((l) => l.trim().replace(/\s+/g, ' ')).join('\n');
const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 12);

function biome(args, cwd) {
  const r = spawnSync(process.execPath, [BIOME, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return r;
}

/** Lint violations: { rule, file, line, message, id }. */
function lintViolations(root, files) {
  const r = biome(['lint', '--reporter=json', '--vcs-enabled=false', '--max-diagnostics=none', '--colors=off', ...files], root);
  const start = r.stdout.indexOf('{');
  if (start < 0) throw new Error(`biome lint printed no report (exit ${r.status}): ${r.stderr.slice(0, 2000)}`);
  const report = JSON.parse(r.stdout.slice(start));
  const texts = new Map();
  const out = [];
  for (const d of report.diagnostics) {
    const lint = d.category?.startsWith('lint/');
    // A file Biome cannot parse is reported as a violation of rule "parse" (never baselined in practice).
    if (!lint && !((d.severity === 'error' || d.severity === 'fatal') && d.location?.path)) continue;
    const file = d.location.path;
    if (!texts.has(file)) texts.set(file, readLines(join(root, file)));
    const lines = texts.get(file);
    // JSON locations are 1-based lines.
    const from = Math.max(1, d.location.start.line);
    const to = Math.max(from, Math.min(d.location.end.line, from + 5));
    const rule = lint ? d.category.slice('lint/'.length) : (d.category ?? 'error');
    out.push({ rule, file, line: from, message: d.message, id: hash(`${rule}\n${norm(lines.slice(from - 1, to))}`) });
  }
  return out;
}

/** Parse `diff -U0` output of two trees into hunks: { file, line, removed[], added[] }. */
function parseDiff(text, base) {
  const hunks = [];
  let file;
  let hunk;
  for (const line of text.split('\n')) {
    if (line.startsWith('--- ')) {
      file = relative(base, line.slice(4).split('\t')[0]).split('\\').join('/');
    } else if (line.startsWith('@@')) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)/.exec(line);
      hunk = { file, line: Number(m[1]) + (m[2] === '0' ? 1 : 0), removed: [], added: [] };
      hunks.push(hunk);
    } else if (hunk && line.startsWith('-')) hunk.removed.push(line.slice(1));
    else if (hunk && line.startsWith('+') && !line.startsWith('+++ ')) hunk.added.push(line.slice(1));
  }
  return hunks;
}

/** Format violations: one per hunk of the diff between a file and Biome's formatting of it. */
function formatViolations(root, files) {
  const tmp = mkdtempSync(join(tmpdir(), 'edgebench-fmt-'));
  try {
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    for (const f of files) {
      if (!existsSync(join(root, f))) continue; // removed since it was listed (others may be editing the tree)
      mkdirSync(dirname(join(a, f)), { recursive: true });
      cpSync(join(root, f), join(a, f));
    }
    cpSync(a, b, { recursive: true });
    cpSync(join(root, 'biome.json'), join(b, 'biome.json'));
    const r = biome(['format', '--write', '--vcs-enabled=false', '--colors=off', '--max-diagnostics=20', '.'], b);
    if (r.status !== 0 && !/Formatted|Checked/.test(`${r.stdout}${r.stderr}`))
      throw new Error(`biome format failed (exit ${r.status}): ${r.stdout}${r.stderr}`.slice(0, 3000));
    const d = spawnSync('diff', ['-r', '-U0', '-N', a, b, '-x', 'biome.json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (d.error) throw d.error;
    if (d.status > 1) throw new Error(`diff failed: ${d.stderr}`);
    const texts = new Map();
    return parseDiff(d.stdout, a).map((h) => {
      if (!texts.has(h.file)) texts.set(h.file, readLines(join(a, h.file)));
      // A pure insertion is identified by the line it follows.
      const key = h.removed.length > 0 ? h.removed : [texts.get(h.file)[h.line - 2] ?? '', '+', ...h.added];
      const shown = h.added.length > 0 ? `expected:\n${h.added.map((l) => `      ${l}`).join('\n')}` : 'expected: these lines removed';
      return { rule: 'format', file: h.file, line: h.line, message: shown, id: hash(`format\n${norm(key)}`) };
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function counts(violations) {
  const c = {};
  for (const v of violations) {
    c[v.rule] ??= {};
    c[v.rule][v.id] = (c[v.rule][v.id] ?? 0) + 1;
  }
  return c;
}

function sortedBaseline(c) {
  const out = {};
  for (const rule of Object.keys(c).sort()) {
    const ids = Object.keys(c[rule])
      .filter((id) => c[rule][id] > 0)
      .sort();
    if (ids.length === 0) continue;
    out[rule] = {};
    for (const id of ids) out[rule][id] = c[rule][id];
  }
  return out;
}

const total = (c) => Object.values(c).reduce((s, m) => s + Object.values(m).reduce((t, n) => t + n, 0), 0);
const perRule = (c) => Object.fromEntries(Object.entries(c).map(([r, m]) => [r, Object.values(m).reduce((t, n) => t + n, 0)]));

/**
 * Runs the check on `root`; `baselinePath` defaults to scripts/lint-baseline.json under it.
 * Returns { files, violations, current, baseline, newViolations, fixed, ms }.
 */
export function runLint({ root = REPO, baselinePath } = {}) {
  const t0 = Date.now();
  const bpath = baselinePath ?? join(root, 'scripts', 'lint-baseline.json');
  const files = listFiles(root);
  const violations = [...lintViolations(root, files), ...formatViolations(root, files)];
  const current = counts(violations);
  const baseline = existsSync(bpath) ? (JSON.parse(readFileSync(bpath, 'utf8')).violations ?? {}) : {};
  // New: for each identity, the occurrences beyond its baseline count (the last ones in file order).
  const seen = {};
  const newViolations = [];
  for (const v of violations) {
    const key = `${v.rule}\n${v.id}`;
    seen[key] = (seen[key] ?? 0) + 1;
    if (seen[key] > (baseline[v.rule]?.[v.id] ?? 0)) newViolations.push(v);
  }
  let fixed = 0;
  for (const [rule, m] of Object.entries(baseline)) for (const [id, n] of Object.entries(m)) fixed += Math.max(0, n - (current[rule]?.[id] ?? 0));
  return { files: files.length, violations, current, baseline, baselinePath: bpath, newViolations, fixed, ms: Date.now() - t0 };
}

function writeBaseline(path, violations) {
  const body = {
    comment:
      'Violations that predate the lint check (scripts/lint.mjs): per rule, a hash of the flagged code -> how often. Only `--update` (drops fixed ones) or a deliberate `--accept` changes it.',
    tool: `biome ${JSON.parse(readFileSync(join(REPO, 'node_modules', '@biomejs', 'biome', 'package.json'), 'utf8')).version}`,
    totals: perRule(violations),
    violations,
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(body, null, 1)}\n`);
}

function main(argv) {
  const arg = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const root = resolve(arg('--root') ?? REPO);
  const result = runLint({ root });
  if (argv.includes('--accept')) {
    writeBaseline(result.baselinePath, sortedBaseline(result.current));
    console.log(`baseline: ${total(result.current)} violations recorded in ${relative(process.cwd(), result.baselinePath)}`);
    return 0;
  }
  if (argv.includes('--update')) {
    const lowered = {};
    for (const [rule, m] of Object.entries(result.baseline)) {
      lowered[rule] = {};
      for (const [id, n] of Object.entries(m)) lowered[rule][id] = Math.min(n, result.current[rule]?.[id] ?? 0);
    }
    writeBaseline(result.baselinePath, sortedBaseline(lowered));
    console.log(`baseline: ${result.fixed} fixed violations dropped, ${total(sortedBaseline(lowered))} remain`);
  }
  if (argv.includes('--json')) {
    const { violations, current, baseline, ...rest } = result;
    console.log(
      JSON.stringify(
        { ...rest, totals: perRule(current), baselineTotals: perRule(baseline), newViolations: result.newViolations.map(({ id, ...v }) => v) },
        null,
        1,
      ),
    );
  } else {
    for (const v of result.newViolations) console.log(`${v.file}:${v.line} ${v.rule}: ${v.message}`);
    console.log(
      `lint: ${result.files} files, ${total(result.current)} violations (baseline ${total(result.baseline)}), ${result.newViolations.length} new, ${result.fixed} fixed, ${result.ms} ms`,
    );
    if (result.newViolations.length > 0)
      console.log(
        'Fix new violations: `npx biome lint --write FILE` for safe fixes, `npx biome format --write FILE` to format a file you own (or format the lines shown by hand).',
      );
    if (result.fixed > 0 && !argv.includes('--update')) console.log('Violations were fixed: `npm run lint -- --update` lowers the baseline.');
  }
  return result.newViolations.length > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
