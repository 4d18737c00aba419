/**
 * A deterministic ustar writer: fixed mtime, uid/gid 0, empty user/group names, entries in the
 * order given. Hand-written (≈60 lines) rather than tar-stream because every header byte must be
 * under our control for reproducible digests, and the archives here are small and built in memory.
 */

/** One archive member: a regular file (with data) or a directory. */
export interface TarEntry {
  name: string;
  type: 'file' | 'dir';
  data?: Uint8Array;
  /** Permission bits, e.g. 0o755. */
  mode: number;
}

const BLOCK = 512;

/** Writes `value` as a NUL-terminated octal field of `len` bytes at `off`. */
function octal(buf: Buffer, off: number, len: number, value: number): void {
  const s = value.toString(8).padStart(len - 1, '0');
  if (s.length > len - 1) throw new RangeError(`tar: value ${value} too large for a ${len}-byte field`);
  buf.write(s, off, len - 1, 'ascii');
  buf[off + len - 1] = 0;
}

/** Splits a long path into ustar prefix/name, or throws when it cannot fit. */
function splitName(name: string): [string, string] {
  if (Buffer.byteLength(name) <= 100) return ['', name];
  const i = name.lastIndexOf('/', 155);
  if (i <= 0 || Buffer.byteLength(name.slice(i + 1)) > 100) throw new RangeError(`tar: path too long for ustar: ${name}`);
  return [name.slice(0, i), name.slice(i + 1)];
}

/** One 512-byte ustar header. */
function header(e: TarEntry, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  const [prefix, name] = splitName(e.type === 'dir' && !e.name.endsWith('/') ? `${e.name}/` : e.name);
  h.write(name, 0, 100, 'utf8');
  octal(h, 100, 8, e.mode);
  octal(h, 108, 8, 0); // uid
  octal(h, 116, 8, 0); // gid
  octal(h, 124, 12, size);
  octal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156); // checksum computed with spaces
  h.write(e.type === 'dir' ? '5' : '0', 156, 1, 'ascii');
  h.write('ustar\u000000', 257, 8, 'binary');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  const cs = sum.toString(8).padStart(6, '0');
  h.write(cs, 148, 6, 'ascii');
  h[154] = 0;
  h[155] = 0x20;
  return h;
}

/** Builds a complete tar archive (with the two zero end blocks) from entries, in order. */
export function tarArchive(entries: readonly TarEntry[], mtime = 0): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.type === 'file' ? Buffer.from(e.data ?? new Uint8Array()) : Buffer.alloc(0);
    parts.push(header(e, data.length, mtime));
    if (data.length) {
      parts.push(data);
      const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad, 0));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}
