/**
 * Turns an async iterable into an NDJSON byte stream, one JSON value per line, pulled on demand: a row
 * is read from the source only when the consumer (the socket) wants more, so memory stays flat however
 * many rows there are. The first row is read before returning, so errors the source throws up front
 * (a bad query) surface as an ordinary rejected promise, before any response header is sent. A
 * cancelled stream (client gone) closes the source.
 *
 * Lines are encoded straight into a chunk buffer of about `chunkBytes` (no concatenated string to
 * flatten and encode again): for a large trace this was a sizeable share of the server's time.
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
  const chunk = new ChunkWriter(options.chunkBytes);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        while (!chunk.full) {
          const result: IteratorResult<unknown> = pending ?? (await iterator.next());
          pending = undefined;
          if (result.done) {
            if (!chunk.empty) controller.enqueue(chunk.take());
            controller.close();
            return;
          }
          chunk.writeLine(options.preEncoded ? (result.value as string) : JSON.stringify(result.value));
        }
      } catch (err) {
        options.onError?.(err);
        controller.error(err);
        await iterator.return?.()?.catch(() => undefined);
        return;
      }
      controller.enqueue(chunk.take());
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/**
 * Lines encoded as UTF-8 into one buffer, handed out once it holds `chunkBytes` or more. The buffer has
 * room for twice that, so that the line which fills a chunk rarely needs a larger buffer (and a copy).
 */
class ChunkWriter {
  private buffer: Buffer;
  private used = 0;

  constructor(private readonly chunkBytes: number) {
    this.buffer = Buffer.allocUnsafe(2 * chunkBytes);
  }

  get full(): boolean {
    return this.used >= this.chunkBytes;
  }

  get empty(): boolean {
    return this.used === 0;
  }

  writeLine(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8; + 1 for the newline.
    const worst = text.length * 3 + 1;
    if (this.used + worst > this.buffer.length) this.grow(this.used + worst);
    this.used += this.buffer.write(text, this.used, 'utf8');
    this.buffer[this.used++] = 0x0a;
  }

  take(): Uint8Array {
    const out = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(2 * this.chunkBytes);
    this.used = 0;
    return out;
  }

  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafe(needed);
    this.buffer.copy(bigger, 0, 0, this.used);
    this.buffer = bigger;
  }
}
