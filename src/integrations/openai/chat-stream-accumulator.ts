import type { StreamAccumulator } from '../traced-api-call.js';

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

/** The chunk fields copied to the completion (the last non-null one wins). */
const HEAD_KEYS = ['id', 'created', 'model', 'system_fingerprint', 'service_tier'] as const;

/** Folds `chat.completion.chunk`s into the `chat.completion` they stream, tool calls included. */
export class ChatStreamAccumulator implements StreamAccumulator {
  private head: Rec = {};
  private readonly choices = new Map<number, Choice>();
  private usage: unknown = undefined;

  add(chunk: unknown): void {
    if (chunk === null || typeof chunk !== 'object') return;
    const c = chunk as Rec;
    for (const key of HEAD_KEYS) if (c[key] !== undefined && c[key] !== null) this.head[key] = c[key];
    if (c.usage) this.usage = c.usage;
    if (!Array.isArray(c.choices)) return;
    for (const raw of c.choices as Rec[]) {
      const index = typeof raw.index === 'number' ? raw.index : 0;
      let choice = this.choices.get(index);
      if (!choice) {
        choice = { index, message: { role: 'assistant', content: null }, finish_reason: null };
        this.choices.set(index, choice);
      }
      if (raw.finish_reason) choice.finish_reason = raw.finish_reason;
      const delta = (raw.delta ?? {}) as Rec;
      const m = choice.message;
      if (typeof delta.role === 'string') m.role = delta.role;
      if (typeof delta.content === 'string') m.content = (m.content ?? '') + delta.content;
      if (typeof delta.refusal === 'string') m.refusal = (m.refusal ?? '') + delta.refusal;
      if (Array.isArray(delta.tool_calls)) for (const t of delta.tool_calls as Rec[]) this.addToolCall(m, t);
    }
  }

  private addToolCall(m: Choice['message'], t: Rec): void {
    const calls = (m.tool_calls ??= []);
    const index = typeof t.index === 'number' ? t.index : calls.length;
    let call = calls.find((c) => c.index === index);
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

  output(): unknown {
    const choices = [...this.choices.values()].sort((a, b) => a.index - b.index);
    return {
      ...this.head,
      object: 'chat.completion',
      choices,
      ...(this.usage ? { usage: this.usage } : {}),
    };
  }
}
