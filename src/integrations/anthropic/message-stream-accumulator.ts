import { NOT_PLAIN, plainCopy } from '../plain-copy.js';
import type { StreamAccumulator } from '../traced-stream.js';

type Rec = Record<string, unknown>;

/** Folds Anthropic `messages` stream events into the Message they stream (text, tool use, thinking). */
export class MessageStreamAccumulator implements StreamAccumulator {
  private message: Rec = {};
  private readonly blocks: Rec[] = [];
  private readonly json = new Map<number, string>();
  private usage: Rec = {};
  /** Everything kept is a copy of the events' plain data (see ownsOutput). */
  private plain = true;

  add(event: unknown): void {
    if (event === null || typeof event !== 'object') return;
    const e = event as Rec;
    const index = typeof e.index === 'number' ? e.index : 0;
    switch (e.type) {
      case 'message_start': {
        const m = this.keep(e.message ?? {});
        this.message = { ...m };
        this.usage = { ...((m.usage ?? {}) as Rec) };
        break;
      }
      case 'content_block_start':
        this.blocks[index] = { ...this.keep(e.content_block ?? {}) };
        break;
      case 'content_block_delta':
        this.addDelta(index, (e.delta ?? {}) as Rec);
        break;
      case 'content_block_stop':
        this.closeBlock(index);
        break;
      case 'message_delta': {
        Object.assign(this.message, this.keep(e.delta ?? {}));
        for (const [k, v] of Object.entries(this.keep(e.usage ?? {})))
          if (v !== null && v !== undefined) this.usage[k] = v;
        break;
      }
    }
  }

  private addDelta(index: number, d: Rec): void {
    const block = (this.blocks[index] ??= { type: 'text', text: '' });
    if (d.type === 'text_delta' && typeof d.text === 'string') block.text = String(block.text ?? '') + d.text;
    else if (d.type === 'input_json_delta' && typeof d.partial_json === 'string')
      this.json.set(index, (this.json.get(index) ?? '') + d.partial_json);
    else if (d.type === 'thinking_delta' && typeof d.thinking === 'string')
      block.thinking = String(block.thinking ?? '') + d.thinking;
    else if (d.type === 'signature_delta' && typeof d.signature === 'string') block.signature = d.signature;
  }

  private closeBlock(index: number): void {
    const text = this.json.get(index);
    const block = this.blocks[index];
    if (text === undefined || !block) return;
    try {
      block.input = text === '' ? {} : (JSON.parse(text) as unknown);
    } catch {
      block.input = text;
    }
    this.json.delete(index);
  }

  ownsOutput(): boolean {
    return this.plain;
  }

  /** A copy of an event's value when it is plain data (it is, from the SDK's JSON); else the value. */
  private keep(v: unknown): Rec {
    const copy = plainCopy(v, 0);
    if (copy === NOT_PLAIN) this.plain = false;
    return (copy === NOT_PLAIN ? v : copy) as Rec;
  }

  output(): unknown {
    for (const index of [...this.json.keys()]) this.closeBlock(index);
    return { ...this.message, content: this.blocks.filter(Boolean), usage: this.usage };
  }
}
