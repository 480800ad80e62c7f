/**
 * A page of `/calls/query` as a streamed JSON body, `{"calls":[...],"next_cursor":...}`, written from
 * the store's rows as the socket wants them: the page is never one string in memory. The source
 * yields each call's JSON text and is read for at most `pageSize + 1` rows: the extra one only tells
 * whether there is a next page (`nextCursor(true)`). The first row is read before returning, so a bad
 * query fails as an ordinary rejected promise (a 400) before any header is sent; a cancelled stream
 * (client gone) closes the source.
 */
export async function jsonPageStream(
  source: AsyncIterable<string>,
  options: {
    pageSize: number;
    /** The page's `next_cursor` value, given whether another row exists. */
    nextCursor: (more: boolean) => string | null;
    chunkBytes: number;
    onError?: (err: unknown) => void;
  },
): Promise<ReadableStream<Uint8Array>> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: IteratorResult<string> | undefined = await iterator.next();
  let written = 0;
  let opened = false;
  const encoder = new TextEncoder();
  const close = async (): Promise<void> => {
    await iterator.return?.()?.catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const parts: string[] = opened ? [] : ['{"calls":['];
      opened = true;
      let bytes = 0;
      try {
        while (bytes < options.chunkBytes) {
          const result = pending ?? (await iterator.next());
          pending = undefined;
          const more = !result.done && written === options.pageSize;
          if (result.done || more) {
            parts.push(`],"next_cursor":${JSON.stringify(options.nextCursor(more))}}`);
            controller.enqueue(encoder.encode(parts.join('')));
            controller.close();
            if (more) await close();
            return;
          }
          parts.push(written === 0 ? result.value : `,${result.value}`);
          bytes += result.value.length;
          written++;
        }
      } catch (err) {
        options.onError?.(err);
        controller.error(err);
        await close();
        return;
      }
      controller.enqueue(encoder.encode(parts.join('')));
    },
    async cancel() {
      await close();
    },
  });
}

/** JSON text of each record of `source` (for a store without `queryCallsJson`). */
export async function* jsonTexts(source: AsyncIterable<unknown>): AsyncIterable<string> {
  for await (const value of source) yield JSON.stringify(value);
}
