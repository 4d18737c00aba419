#!/usr/bin/env node
// Builds the native process launcher build/eb-launch from src/launcher/eb-launch.c.
// Runs at `npm install` / `npm run build`. If no C compiler is available it
// prints one warning line and exits 0. The TypeScript side then falls back to
// node:child_process, which is slower (about 1 ms per spawn).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src', 'launcher', 'eb-launch.c');
const out = join(root, 'build', 'eb-launch');
const cc = process.env.CC || 'cc';

function warn(msg) {
  console.warn(`edgebench: warning: ${msg}; process launches will fall back to node:child_process`);
  process.exit(0);
}

if (process.platform === 'win32') warn('eb-launch is not supported on Windows');
if (!existsSync(src)) warn(`launcher source not found (${relative(root, src)})`);

mkdirSync(dirname(out), { recursive: true });
// Relative paths keep the checkout directory out of the binary.
const base = ['-O2', '-o', relative(root, out), relative(root, src)];

function compile(extra) {
  const args = [...extra, ...base];
  const r = spawnSync(cc, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  return { args, r };
}

// We try a static link first. ru_maxrss of a child also counts the RSS that
// the launcher's address space had when the child called exec. This is a Linux
// quirk, and vfork makes it worse because the child shares that address space.
// A static launcher keeps that floor at about 0.8 MB instead of 1.4 MB. If no
// static libc is available, we fall back to the plain dynamic build.
let { args, r } = compile(process.platform === 'linux' ? ['-static'] : []);
if (!r.error && r.status !== 0 && args.includes('-static')) ({ args, r } = compile([]));
if (r.error) {
  warn(r.error.code === 'ENOENT'
    ? `C compiler '${cc}' not found, build/eb-launch not built`
    : `could not run '${cc}': ${r.error.message}`);
}
if (r.stderr) process.stderr.write(r.stderr);
if (r.status !== 0) {
  warn(`'${cc} ${args.join(' ')}' failed (exit ${r.status ?? r.signal}), build/eb-launch not built`);
}
