/** A one-line progress bar on stderr, only when stderr is a TTY. */
export interface Progress {
  update(label: string, done: number, total: number): void;
  done(): void;
}

/** Creates a progress bar, or a silent one when not on a TTY. */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  return {
    update(label, done, total) {
      const now = Date.now();
      if (now - last < 50 && done < total) return;
      last = now;
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : 0;
      stream.write(`\r\x1b[K${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
