/**
 * SIGINT/SIGTERM during a run. The first signal asks the run to stop after what it is doing and to write the
 * partial result; every later one only hurries that (running samples are killed at once) and never ends the process
 * before the result is on disk — `timeout`, CI cancellation and an impatient user often send two or more.
 * The handlers stay until dispose(), called once the results are written.
 */

/** The interrupt state of one run. */
export interface Interrupts {
  /** Aborts at the first signal: start nothing new, write what was measured. */
  readonly signal: AbortSignal;
  /** Aborts at the second signal: stop running samples at once (SIGKILL) instead of asking them to stop. */
  readonly hurry: AbortSignal;
  /** Signals received so far. */
  readonly count: number;
  /** Removes the handlers (call once the partial result is on disk). */
  dispose(): void;
}

const NEVER = new AbortController().signal;
let active: Interrupts | null = null;

/** The hurry signal of the run in progress (never aborts when none is): the process launcher listens to it. */
export function hurrySignal(): AbortSignal {
  return active?.hurry ?? NEVER;
}

/**
 * Installs the handlers for SIGINT and SIGTERM; `say` gets one line per signal (stderr by default). `idle`, asked at
 * the second signal and later, says whether nothing is being measured (no data at stake, e.g. a preflight check still
 * running): then the process exits 130 at once (`idle` cleans up what it must first).
 */
export function installInterrupts(say: (line: string) => void = (l) => void process.stderr.write(`${l}\n`), idle?: () => boolean): Interrupts {
  const first = new AbortController();
  const second = new AbortController();
  let count = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      say(`edgebench: ${sig}: stopping; the partial result will be written (a second signal kills the running sample at once)`);
      first.abort();
    } else if (idle?.()) {
      say(`edgebench: ${sig} again: nothing measured yet; exiting`);
      process.exit(130);
    } else if (count === 2) {
      say(`edgebench: ${sig} again: killing the running sample; writing the partial result`);
      second.abort();
    } else say(`edgebench: ${sig}: still writing the partial result (SIGKILL would lose it)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const it: Interrupts = {
    signal: first.signal,
    hurry: second.signal,
    get count() {
      return count;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (active === it) active = null;
    },
  };
  active = it;
  return it;
}
