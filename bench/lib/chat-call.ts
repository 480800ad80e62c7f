import type OpenAI from 'openai';
import { forceGc } from './gc.js';

/** How a wrapper bench calls the model: one JSON completion, or one stream read to its end. */
export type ChatMode = 'json' | 'stream';

const messages = [{ role: 'user' as const, content: 'Say hello' }];

/** One `chat.completions.create` of the wrapper benches (bare or wrapped client), checked non-empty. */
export async function chatOnce(api: OpenAI, mode: ChatMode): Promise<void> {
  if (mode === 'json') {
    const res = await api.chat.completions.create({ model: 'gpt-4o-mini', messages });
    if (!res.choices[0]?.message.content) throw new Error('empty answer');
    return;
  }
  const stream = await api.chat.completions.create({
    model: 'gpt-4o-mini',
    messages,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  if (!text) throw new Error('empty stream');
}

/** One round of a wrapper bench, per call: wall and CPU time, and the part spent in `after()`. */
export interface RoundSample {
  wallUs: number;
  cpuUs: number;
  /** Of `wallUs`, the round's final `after()` (the wrapped client's flush: mostly waiting for the receiver). */
  flushUs: number;
}

/** `calls` sequential `chatOnce` calls after a collection, then `after()` (the flush), timed. */
export async function timedRound(
  api: OpenAI,
  mode: ChatMode,
  calls: number,
  after: () => Promise<unknown>,
): Promise<RoundSample> {
  forceGc();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await chatOnce(api, mode);
  const t1 = performance.now();
  await after();
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  return {
    wallUs: ((t2 - t0) * 1000) / calls,
    cpuUs: (cpu.user + cpu.system) / calls,
    flushUs: ((t2 - t1) * 1000) / calls,
  };
}
