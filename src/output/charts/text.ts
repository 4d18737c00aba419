/** Text measurement for SVG layout without a browser: a conservative width estimate and word wrapping. No I/O. */

/** Average advance per character in em: DejaVu Sans (the widest common sans-serif) measures about 0.55–0.64 em; a little over. */
const EM_PER_CHAR = 0.66;

/** Estimated rendered width of `s` in px at `fontSize` (wide glyphs counted wider). */
export function textWidth(s: string, fontSize: number): number {
  let ems = 0;
  for (const ch of s) ems += /[mwMW@%]/.test(ch) ? 1.0 : /[A-Z]/.test(ch) ? 0.78 : /[ilj.,:;'|!() ]/.test(ch) ? 0.4 : EM_PER_CHAR;
  return ems * fontSize;
}

/** Splits text into lines no wider than `maxWidth`: breaking after a space, "/", "-" or "+", or inside a piece longer than a line. */
export function wrapText(s: string, maxWidth: number, fontSize: number): string[] {
  const fits = (t: string): boolean => textWidth(t.trimEnd(), fontSize) <= maxWidth + 1e-6;
  const lines: string[] = [];
  let line = '';
  for (const piece of s.match(/[^ /+-]*[ /+-]?/g) ?? []) {
    if (!piece) continue;
    if (fits(line + piece)) {
      line += piece;
      continue;
    }
    if (line.trim()) lines.push(line.trimEnd());
    // A piece wider than a line is cut where it must be.
    let rest = piece;
    while (!fits(rest) && rest.length > 1) {
      let n = rest.length - 1;
      while (n > 1 && !fits(rest.slice(0, n))) n--;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    line = rest;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines.length ? lines : [''];
}
