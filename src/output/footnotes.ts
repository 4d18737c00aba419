/** Numbered footnotes: a long cell is printed once below its table and referred to as "[n]" in the row. No I/O. */

/** A reason: a lower-case status of one or two words, a colon, then why (e.g. "not-measured: wasmtime not found"). */
const REASON = /^([a-z][a-z-]*(?: [a-z-]+)?): /;

/** Collects distinct long texts and numbers them in order of first use. */
export class Footnotes {
  private readonly numbers = new Map<string, number>();

  /** The cell to print for `text`: itself when short (or, with `reasonsOnly`, not "status: why"), else its "status:" prefix (if any) and a reference "[n]". */
  ref(text: string, minLength: number, reasonsOnly = false): string {
    const prefix = REASON.exec(text)?.[1];
    if (text.length <= minLength || (reasonsOnly && !prefix)) return text;
    let n = this.numbers.get(text);
    if (n === undefined) this.numbers.set(text, (n = this.numbers.size + 1));
    return prefix ? `${prefix} [${n}]` : `[${n}]`;
  }

  /** The notes as "[n] text", in number order. */
  lines(): string[] {
    return [...this.numbers].map(([text, n]) => `[${n}] ${text}`);
  }
}
