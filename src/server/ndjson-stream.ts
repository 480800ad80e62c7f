/**
 * Turns an async iterable into an NDJSON byte stream, one JSON value per line, pulled on demand: a row
 * is read from the source only when the consumer (the socket) wants more, so memory stays flat however
 * many rows there are. The first row is read before returning, so errors the source throws up front
 * (a bad query) surface as an ordinary rejected promise, before any response header is sent. A
 * cancelled stream (client gone) closes the source.
 */
export async function ndjsonStream(
  source: AsyncIterable<unknown>,
  options: {
    chunkBytes: number;
    onError?: (err: unknown) => void;
    /** The source yields JSON text already (e.g. `TraceStore.queryCallsJson`): written as is. */
    preEncoded?: boolean;
  },
): Promise<ReadableStream<Uint8Array>> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: IteratorResult<unknown> | undefined = await iterator.next();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = '';
      try {
        while (text.length < options.chunkBytes) {
          const result: IteratorResult<unknown> = pending ?? (await iterator.next());
          pending = undefined;
          if (result.done) {
            if (text) controller.enqueue(encoder.encode(text));
            controller.close();
            return;
          }
          text += `${options.preEncoded ? (result.value as string) : JSON.stringify(result.value)}\n`;
        }
      } catch (err) {
        options.onError?.(err);
        controller.error(err);
        await iterator.return?.()?.catch(() => undefined);
        return;
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
