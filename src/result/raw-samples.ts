/** Raw samples as NDJSON, appended one line per sample as it is taken, so a killed run keeps its data. */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { MetricSpec, Sample } from '../core/metric.js';
import { UserError, errorMessage } from '../util/errors.js';

/** First line of a raw-samples file. */
export interface RawHeader {
  type: 'header';
  format: 'edgebench/raw-samples';
  version: 1;
  runId: string;
  suite: string;
  layer: string;
  runtime: string;
  workload: string | null;
  startedAt: string;
}

/** Last line of a complete raw-samples file: the metric declarations. Absent when the run was killed. */
export interface RawTrailer {
  type: 'end';
  metrics: MetricSpec[];
  endedAt: string;
}

/** A sample line: the sample plus the offset from the run's start on the client monotonic clock. */
export interface RawSampleLine extends Sample {
  type: 'sample';
  tNs: number;
}

/** Appends lines synchronously (one write(2) per sample) to a raw-samples file. */
export class RawSampleWriter {
  private fd: number | null;
  private lines = 0;

  constructor(readonly path: string, header: RawHeader) {
    this.fd = openSync(path, 'a');
    this.writeLine(header);
  }

  /** Appends one sample. */
  append(sample: Sample, tNs: number): void {
    const line: RawSampleLine = { type: 'sample', tNs, ...sample };
    this.writeLine(line);
  }

  /** Appends the trailer that marks a complete file. */
  end(trailer: Omit<RawTrailer, 'type'>): void {
    this.writeLine({ type: 'end', ...trailer });
  }

  /** Number of lines written so far, header included. */
  get lineCount(): number {
    return this.lines;
  }

  /** Closes the file; further appends throw. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private writeLine(obj: object): void {
    if (this.fd === null) throw new Error(`raw-samples file ${this.path} is closed`);
    writeSync(this.fd, JSON.stringify(obj) + '\n');
    this.lines++;
  }
}

/** Contents of a raw-samples file; a torn last line (killed writer) is counted, not fatal. */
export interface RawFile {
  header: RawHeader;
  samples: RawSampleLine[];
  trailer: RawTrailer | null;
  tornLines: number;
}

/** Reads a raw-samples file, tolerating a partial final line. */
export function readRawSamples(path: string): RawFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read raw samples (${errorMessage(e)})`);
  }
  const lines = text.split('\n');
  const last = lines.pop();
  let tornLines = last ? 1 : 0;
  let header: RawHeader | undefined;
  const samples: RawSampleLine[] = [];
  let trailer: RawTrailer | null = null;
  lines.forEach((line, i) => {
    if (!line) return;
    let obj: { type?: string };
    try {
      obj = JSON.parse(line) as { type?: string };
    } catch {
      if (i === lines.length - 1) {
        tornLines++;
        return;
      }
      throw new UserError(`${path}:${i + 1}: corrupt raw-samples line`);
    }
    if (obj.type === 'header') header = obj as RawHeader;
    else if (obj.type === 'sample') samples.push(obj as RawSampleLine);
    else if (obj.type === 'end') trailer = obj as RawTrailer;
  });
  if (!header) throw new UserError(`${path}: not a raw-samples file (no header line)`);
  return { header, samples, trailer, tornLines };
}
