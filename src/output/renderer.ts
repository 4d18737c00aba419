/** The one interface every output format implements: a name, and a pure render of the loaded input to the file's text. */
import type { ReportInput } from './report-input.js';

/** An output format (md, html, junit, …): no I/O; what it has to say beside its text goes to `input.note`. */
export interface Renderer {
  format: string;
  render(input: ReportInput): string;
}
