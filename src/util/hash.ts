/** sha256 digests of files and buffers. */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';

/** Hex sha256 of a buffer or string. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hex sha256 of a file, read at once (fixtures and binaries are small). */
export function sha256FileSync(path: string): string {
  return sha256(readFileSync(path));
}

/** Hex sha256 of a file, streamed (for large binaries). */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}
