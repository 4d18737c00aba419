/** Deterministic gzip: zlib at a fixed level, header mtime 0, no file name, OS byte fixed to 255 (unknown). */
import { gzipSync } from 'node:zlib';

/** Gzips `data` with a header that does not depend on time or platform. */
export function deterministicGzip(data: Uint8Array): Buffer {
  const out = gzipSync(data, { level: 9, memLevel: 9, strategy: 0 });
  // RFC 1952: bytes 4..7 MTIME (zlib writes 0), byte 9 OS (zlib writes the build platform's code).
  out.writeUInt32LE(0, 4);
  out[9] = 0xff;
  return out;
}
