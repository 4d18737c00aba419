/** Text measurement for SVG layout without a browser: a conservative width estimate and word wrapping. No I/O. */

/** Average advance per character in em: DejaVu Sans (the widest common sans-serif) measures about 0.55–0.64 em; a little over. */
const EM_PER_CHAR = 0.66;

/** Estimated rendered width of `s` in px at `fontSize` (wide glyphs counted wider). */
export function textWidth(s: string, fontSize: number): number {
  let ems = 0;
  for (const ch of s) ems += /[mwMW@%]/.test(ch) ? 1.0 : /[A-Z]/.test(ch) ? 0.78 : /[ilj.,:;'|!() ]/.test(ch) ? 0.4 : EM_PER_CHAR;
  return ems * fontSize;
}

/** Splits text into lines no wider than `maxWidth` (breaking at spaces, or inside a word longer than a line). */
export function wrapText(s: string, maxWidth: number, fontSize: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (textWidth(next, fontSize) <= maxWidth) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    // A word wider than a line is cut into pieces that fit.
    let rest = word;
    while (textWidth(rest, fontSize) > maxWidth && rest.length > 1) {
      let n = rest.length - 1;
      while (n > 1 && textWidth(rest.slice(0, n), fontSize) > maxWidth) n--;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}
