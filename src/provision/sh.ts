/** Small POSIX sh building blocks for plan steps (quoting, file checks, heredocs). */
import { posix } from 'node:path';
import { UserError } from '../util/errors.js';
import { sha256 } from '../util/hash.js';

/**
 * Quotes a string as one POSIX sh word: the one quoting helper for everything interpolated into a
 * target script. Words made only of characters no shell treats specially are left as they are;
 * anything else is single-quoted, each ' written as '\'' (close, escaped quote, reopen).
 */
export function q(s: string): string {
  return /^[A-Za-z0-9_./:=+@%-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Refuses a target path the scripts cannot carry safely: a control character (a newline would split
 * the file lists teardown reads line by line), a backslash (sha256sum escapes such names in its
 * output, so no checksum check could ever pass) or, for the root, a ":" (it goes into the target's
 * PATH, where it would add a relative directory). Quoting handles every other character.
 */
export function checkTargetPath(what: string, path: string, opts: { inPath?: boolean } = {}): void {
  if (/[\u0000-\u001f\u007f\\]/.test(path)) throw new UserError(`${what} must not contain a backslash or control characters such as a newline (got ${JSON.stringify(path)})`);
  if (opts.inPath && path.includes(':')) throw new UserError(`${what} must not contain ":" (its bin directories go into the target's PATH; got ${JSON.stringify(path)})`);
}

/** A target path under the provisioning root ("/" leaves it unchanged). */
export function under(root: string, path: string): string {
  return root === '/' ? path : posix.join(root, path);
}

/** sh test: file has the given sha256. */
export function fileHasSha(path: string, sha: string | null): string {
  return `[ "$(sha256sum ${q(path)} 2>/dev/null | cut -d' ' -f1)" = ${q(sha ?? 'NOT-PINNED')} ]`;
}

/** sh test: a stamp file holds exactly `value`. */
export function stampIs(stamp: string, value: string): string {
  return `[ "$(cat ${q(stamp)} 2>/dev/null)" = ${q(value)} ]`;
}

/** sh command writing `value` to a stamp file. */
export function writeStamp(stamp: string, value: string): string {
  return `mkdir -p ${q(posix.dirname(stamp))} && printf '%s\\n' ${q(value)} > ${q(stamp)}`;
}

/**
 * A quoted heredoc writing `content` to `path`. The end marker is EDGEBENCH_EOF, or EDGEBENCH_EOF_<n>
 * when the content holds a line that would end the heredoc early (and run the rest as commands).
 */
export function writeFile(path: string, content: string, mode = '0644'): string {
  const body = content.endsWith('\n') ? content : content + '\n';
  const lines = new Set(body.split('\n'));
  let eof = 'EDGEBENCH_EOF';
  for (let n = 1; lines.has(eof); n++) eof = `EDGEBENCH_EOF_${n}`;
  return [`mkdir -p ${q(posix.dirname(path))}`, `cat > ${q(path)}.part <<'${eof}'`, body + eof, `chmod ${q(mode)} ${q(path)}.part && mv -f ${q(path)}.part ${q(path)}`].join('\n');
}

/** sha256 of file content as writeFile writes it. */
export function contentSha(content: string): string {
  return sha256(content.endsWith('\n') ? content : content + '\n');
}
