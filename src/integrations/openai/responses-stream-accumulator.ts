import type { StreamAccumulator } from '../traced-stream.js';

type Rec = Record<string, unknown>;

/**
 * Keeps the latest `response` snapshot of a Responses API event stream (the full response once
 * `response.completed`, `.failed` or `.incomplete` arrives) and the output text streamed so far.
 */
export class ResponsesStreamAccumulator implements StreamAccumulator {
  private response: Rec | undefined;
  private text = '';
  private final = false;

  add(event: unknown): void {
    if (event === null || typeof event !== 'object') return;
    const e = event as Rec;
    if (e.response !== null && typeof e.response === 'object') {
      this.response = e.response as Rec;
      if (e.type === 'response.completed' || e.type === 'response.failed' || e.type === 'response.incomplete')
        this.final = true;
    }
    if (e.type === 'response.output_text.delta' && typeof e.delta === 'string') this.text += e.delta;
  }

  output(): unknown {
    const base = this.response ?? {};
    return this.final || this.text === ''
      ? { ...base, output_text: this.text }
      : { ...base, output_text: this.text, partial: true };
  }
}
