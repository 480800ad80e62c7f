import { NOT_PLAIN, plainCopy } from '../plain-copy.js';
import type { StreamAccumulator } from '../traced-stream.js';

type Rec = Record<string, unknown>;

interface ToolCall {
  index: number;
  id?: string;
  type?: string;
  function: { name: string; arguments: string };
}

interface Choice {
  index: number;
  message: { role: string; content: string | null; refusal?: string; tool_calls?: ToolCall[] };
  finish_reason: unknown;
}

/**
 * Folds `chat.completion.chunk`s into the `chat.completion` they stream, tool calls included. The
 * chunk fields copied to the completion keep the last non-null value.
 */
export class ChatStreamAccumulator implements StreamAccumulator {
  private id: unknown = undefined;
  private created: unknown = undefined;
  private model: unknown = undefined;
  private systemFingerprint: unknown = undefined;
  private serviceTier: unknown = undefined;
  /** In order of first appearance (one, unless the request asked for `n` > 1). */
  private readonly choices: Choice[] = [];
  private usage: unknown = undefined;
  /**
   * Every value kept is a primitive, or a copy made here of a chunk's plain data: the output then
   * shares nothing with the chunks the reader holds (ownsOutput).
   */
  private plain = true;

  add(chunk: unknown): void {
    if (chunk === null || typeof chunk !== 'object') return;
    const c = chunk as Rec;
    const { id, created, model, system_fingerprint: fingerprint, service_tier: tier, usage } = c;
    if (id !== undefined && id !== null) this.id = this.keep(id);
    if (created !== undefined && created !== null) this.created = this.keep(created);
    if (model !== undefined && model !== null) this.model = this.keep(model);
    if (fingerprint !== undefined && fingerprint !== null) this.systemFingerprint = this.keep(fingerprint);
    if (tier !== undefined && tier !== null) this.serviceTier = this.keep(tier);
    if (usage) this.usage = this.keep(usage);
    const rawChoices = c.choices;
    if (!Array.isArray(rawChoices)) return;
    for (const raw of rawChoices as Rec[]) {
      const rawIndex = raw.index;
      const index = typeof rawIndex === 'number' ? rawIndex : 0;
      let choice = byIndex(this.choices, index);
      if (!choice) {
        choice = { index, message: { role: 'assistant', content: null }, finish_reason: null };
        this.choices.push(choice);
      }
      const finish = raw.finish_reason;
      if (finish) choice.finish_reason = this.keep(finish);
      const delta = (raw.delta ?? {}) as Rec;
      const m = choice.message;
      const { role, content, refusal, tool_calls: toolCalls } = delta;
      if (typeof role === 'string') m.role = role;
      if (typeof content === 'string') m.content = (m.content ?? '') + content;
      if (typeof refusal === 'string') m.refusal = (m.refusal ?? '') + refusal;
      if (Array.isArray(toolCalls)) for (const t of toolCalls as Rec[]) this.addToolCall(m, t);
    }
  }

  private addToolCall(m: Choice['message'], t: Rec): void {
    const calls = (m.tool_calls ??= []);
    const index = typeof t.index === 'number' ? t.index : calls.length;
    let call = byIndex(calls, index);
    if (!call) {
      call = { index, function: { name: '', arguments: '' } };
      calls.push(call);
    }
    if (typeof t.id === 'string') call.id = t.id;
    if (typeof t.type === 'string') call.type = t.type;
    const fn = (t.function ?? {}) as Rec;
    if (typeof fn.name === 'string') call.function.name += fn.name;
    if (typeof fn.arguments === 'string') call.function.arguments += fn.arguments;
  }

  /**
   * The completion, in the API's key order; a field no chunk had is undefined (left out of its JSON).
   * One object literal: a spread copy that then gains keys is several times slower to build.
   */
  output(): unknown {
    const choices = this.choices;
    if (choices.length > 1) choices.sort((a, b) => a.index - b.index);
    return {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices,
      usage: this.usage,
      service_tier: this.serviceTier,
      system_fingerprint: this.systemFingerprint,
    };
  }

  ownsOutput(): boolean {
    return this.plain;
  }

  /** `v` if a primitive, else a copy of it when it is plain data (it always is, from the SDK's JSON). */
  private keep(v: unknown): unknown {
    if (typeof v !== 'object' || v === null) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') this.plain = false;
      return v;
    }
    const copy = plainCopy(v, 0);
    if (copy === NOT_PLAIN) this.plain = false;
    return copy === NOT_PLAIN ? v : copy;
  }
}

/** The entry with this `index` (a linear search: a stream has one choice and a few tool calls). */
function byIndex<T extends { index: number }>(list: T[], index: number): T | undefined {
  for (const item of list) if (item.index === index) return item;
  return undefined;
}
