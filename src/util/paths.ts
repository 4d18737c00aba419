/** Locations inside the installed package (works from src/ under vitest and from dist/src/ when built). */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest ancestor of this module holding package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('edgebench package root not found');
    dir = up;
  }
}

/** A path inside the package root. */
export function repoPath(...parts: string[]): string {
  return resolve(repoRoot(), ...parts);
}
