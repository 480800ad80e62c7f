/**
 * The values of an NDJSON body (one JSON value per line, blank lines skipped), read as they arrive:
 * one chunk at a time, so a consumer that stops pulling stops the reading (backpressure), and the
 * body is cancelled when the consumer stops early. Shared by the SDK's `getCalls()` and the web UI.
 */
export async function* readNdjson<T>(body: ReadableStream<Uint8Array>): AsyncGenerator<T> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let start = 0;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n', start)) {
        const line = buffered.slice(start, nl);
        start = nl + 1;
        if (line.trim() !== '') yield JSON.parse(line) as T;
      }
      buffered = buffered.slice(start);
    }
    buffered += decoder.decode();
    if (buffered.trim() !== '') yield JSON.parse(buffered) as T;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
