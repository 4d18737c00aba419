/** Headless Chromium for report checks: lay out a page and read back measurements a script wrote into it (chromium --dump-dom). */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** null when a chromium binary is on PATH, else why not. */
export function chromiumMissing(): string | null {
  for (const c of ['chromium', 'chromium-browser']) if (spawnSync('sh', ['-c', `command -v ${c}`]).status === 0) return null;
  return 'chromium not installed (scripts/install-deps.sh installs it)';
}

/** The chromium binary's name. */
function binary(): string {
  return spawnSync('sh', ['-c', 'command -v chromium']).status === 0 ? 'chromium' : 'chromium-browser';
}

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars'];

/**
 * Loads `html` with `script` appended to its body; the script writes JSON into <pre id="eb-measure">, which is
 * read back from the DOM Chromium dumps once the page has loaded.
 */
export function measureInChromium<T>(html: string, script: string, width = 1280): T {
  const dir = mkdtempSync(join(tmpdir(), 'eb-chromium-'));
  try {
    const page = join(dir, 'page.html');
    writeFileSync(page, html.replace('</body>', `<script>${script}</script></body>`));
    const dom = execFileSync(binary(), [...FLAGS, `--user-data-dir=${join(dir, 'profile')}`, `--window-size=${width},2000`, '--dump-dom', `file://${page}`], { timeout: 90_000, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
    const m = /<pre id="eb-measure">([\s\S]*?)<\/pre>/.exec(dom);
    if (!m?.[1]) throw new Error('the measuring script wrote nothing (did the page load?)');
    const text = m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    return JSON.parse(text) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A screenshot of `htmlPath` into `png` (full width, `height` px tall). */
export function screenshot(htmlPath: string, png: string, width = 1280, height = 2400): void {
  const dir = mkdtempSync(join(tmpdir(), 'eb-chromium-'));
  try {
    execFileSync(binary(), [...FLAGS, `--user-data-dir=${join(dir, 'profile')}`, `--window-size=${width},${height}`, `--screenshot=${png}`, `file://${htmlPath}`], { timeout: 90_000, stdio: 'ignore' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
