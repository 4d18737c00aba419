#!/usr/bin/env node
// Builds build/eb-oci (the oci layer's phase timer and container subreaper) from src/launcher/eb-oci.c.
// Runs at `npm run build`. Without a C compiler it prints one warning and exits 0: the crun and runc
// targets then report "not measured" with that reason.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.platform !== 'linux') process.exit(0);
mkdirSync(join(root, 'build'), { recursive: true });
const cc = process.env.CC || 'cc';
const r = spawnSync(cc, ['-O2', '-Wall', '-o', 'build/eb-oci', 'src/launcher/eb-oci.c'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
if (r.error || r.status !== 0) console.warn(`edgebench: warning: could not build build/eb-oci (${r.error?.message ?? `exit ${r.status}`}); crun/runc targets will be not measured`);
