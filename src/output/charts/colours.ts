/** One colour per runtime for every chart of a report: native grey, the others from a hashed start in one palette, never shared while colours last. No I/O. */

/** Colour of the native baseline. */
export const NATIVE_COLOUR = '#4d4d4d';

/** Bright colours, handed out first (Tableau 10 less its grey and its brown, which read like native's grey). */
const BRIGHT = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#e377c2', '#17becf', '#bcbd22'];

/** Darker shades of the same hues, once the bright ones are taken. */
const DARK = ['#8c564b', '#00695c', '#283593', '#827717', '#880e4f', '#b35806', '#5e3c99', '#1b6e1b', '#8b1a1a'];

/** Every colour a runtime can get, bright first. */
export const PALETTE = [...BRIGHT, ...DARK];

/** Whether a runtime label names the native baseline ("native", "native [simulated]"). */
export function isNative(label: string): boolean {
  return label.split(/[@ /]/)[0] === 'native';
}

/** FNV-1a hash of a string. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Colours of the given runtime labels: the same label always starts from the same palette slot, so a runtime keeps
 * its colour across reports unless two labels want one slot (then the later, in sorted order, takes the next free one).
 */
export function runtimeColours(labels: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<number>();
  for (const l of [...new Set(labels)].sort()) {
    if (isNative(l) && ![...out.values()].includes(NATIVE_COLOUR)) {
      out.set(l, NATIVE_COLOUR);
      continue;
    }
    // The hashed slot among the bright colours, else the next free one, bright before dark; all taken: reuse.
    const start = hash(l) % BRIGHT.length;
    const order = [...PALETTE.keys()].map((k) => (k < BRIGHT.length ? (start + k) % BRIGHT.length : k));
    const i = order.find((k) => !taken.has(k)) ?? start;
    taken.add(i);
    out.set(l, PALETTE[i] as string);
  }
  return out;
}

/** Stroke dash patterns that tell apart several lines of one runtime (cgroup vs PSS, p50 vs p90). */
export const DASHES = ['', '7 3', '2 2', '9 3 2 3'];
