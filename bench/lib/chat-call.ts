import type OpenAI from 'openai';

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
