/** Small POSIX sh building blocks for plan steps (quoting, file checks, heredocs). */
import { posix } from 'node:path';
import { sha256 } from '../util/hash.js';

/** Single-quotes a string for POSIX sh. */
export function q(s: string): string {
  return /^[A-Za-z0-9_./:=+@%-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A target path under the provisioning root ("/" leaves it unchanged). */
export function under(root: string, path: string): string {
  return root === '/' ? path : posix.join(root, path);
}

/** sh test: file has the given sha256. */
export function fileHasSha(path: string, sha: string | null): string {
  return `[ "$(sha256sum ${q(path)} 2>/dev/null | cut -d' ' -f1)" = ${sha ?? 'NOT-PINNED'} ]`;
}

/** sh test: a stamp file holds exactly `value`. */
export function stampIs(stamp: string, value: string): string {
  return `[ "$(cat ${q(stamp)} 2>/dev/null)" = ${q(value)} ]`;
}

/** sh command writing `value` to a stamp file. */
export function writeStamp(stamp: string, value: string): string {
  return `mkdir -p ${q(posix.dirname(stamp))} && printf '%s\\n' ${q(value)} > ${q(stamp)}`;
}

/** A heredoc writing `content` to `path` (content must not contain the EOF marker line). */
export function writeFile(path: string, content: string, mode = '0644'): string {
  const body = content.endsWith('\n') ? content : content + '\n';
  return [`mkdir -p ${q(posix.dirname(path))}`, `cat > ${q(path)}.part <<'EDGEBENCH_EOF'`, body + 'EDGEBENCH_EOF', `chmod ${mode} ${q(path)}.part && mv -f ${q(path)}.part ${q(path)}`].join('\n');
}

/** sha256 of file content as writeFile writes it. */
export function contentSha(content: string): string {
  return sha256(content.endsWith('\n') ? content : content + '\n');
}
