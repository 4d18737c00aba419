/** The declared target options as text (help run's {TARGET_OPTIONS}, doctor --options): generated, never written by hand. No I/O. */
import { LAYERS } from '../result/types.js';
import { COMMON_OPTIONS, type OptionSpec } from './options.js';
import { optionsOf, runtimesOf } from './registry.js';

/** How an option's value is written: `N (1..100)`, `true|false`, `host|cni`, `PATH`, … */
export function valueShape(s: OptionSpec): string {
  if (s.choices) return s.choices.join('|');
  const range = s.min !== undefined || s.max !== undefined ? `(${s.min ?? ''}..${s.max ?? ''})` : '';
  switch (s.type) {
    case 'int': return `N${range}`;
    case 'number': return `X${range}`;
    case 'bool': return 'true|false';
    case 'duration': return `DURATION${range ? `${range}ms` : ''}`;
    case 'path': return 'PATH';
    default: return 'TEXT';
  }
}

/** One option as `key=SHAPE  help (else $VAR; default D)`. */
export function optionLine(s: OptionSpec): string {
  const extra = [s.env ? `else $${s.env}` : '', s.default !== undefined ? `default ${s.default}` : ''].filter(Boolean).join('; ');
  return `${s.key}=${valueShape(s)}  ${s.help}${extra ? ` (${extra})` : ''}`;
}

/** Groups of targets with the same user-facing options beyond the common ones: a heading (`layer/a, b`) and its option lines. */
export function targetOptionGroups(): Array<{ heading: string; lines: string[] }> {
  const groups: Array<{ heading: string; lines: string[] }> = [{ heading: 'every target', lines: COMMON_OPTIONS.filter((s) => !s.internal).map(optionLine) }];
  const none: string[] = [];
  for (const layer of LAYERS) {
    const bySignature = new Map<string, string[]>();
    for (const rt of runtimesOf(layer)) {
      const own = (optionsOf(layer, rt) ?? []).filter((s) => !s.internal && !COMMON_OPTIONS.includes(s));
      if (!own.length) {
        none.push(`${layer}/${rt}`);
        continue;
      }
      const sig = own.map(optionLine).join('\n');
      bySignature.set(sig, [...(bySignature.get(sig) ?? []), rt]);
    }
    for (const [sig, rts] of bySignature) groups.push({ heading: `${layer}/${rts.join(', ')}`, lines: sig.split('\n') });
  }
  if (none.length) groups.push({ heading: `no options of their own: ${none.join(', ')}`, lines: [] });
  return groups;
}

/** The groups as indented lines: headings at `indent`, options two further, each wrapped to `width` with a hanging indent. */
export function targetOptionsText(indent: string, width: number, wrap: (text: string, width: number, hang: number) => string[]): string {
  const out: string[] = [];
  for (const g of targetOptionGroups()) {
    out.push(...wrap(`${indent}${g.heading}${g.lines.length ? ':' : ''}`, width, indent.length + 2));
    for (const l of g.lines) out.push(...wrap(`${indent}  ${l}`, width, indent.length + 6));
  }
  return out.join('\n');
}
