/**
 * A JSON value kept as the UTF-8 text it arrived in, for a store to write as it is.
 *
 * The store worker (src/server/offload/) keeps a large call value (a 30 MiB `inputs`) this way instead
 * of parsing it into objects and serialising it again: each of those steps held another copy of the
 * value in memory. It is made only for text that is exactly what `JSON.stringify(JSON.parse(text))`
 * gives (checked by src/server/offload/canonical-json.ts), so storing it is storing what the parsed
 * value would have stored, byte for byte; and only for stores that say they take it
 * (`TraceStore.storesRawJson`).
 */
export class RawJson {
  #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** The value's JSON text, UTF-8: a view into the request body, which it keeps alive. */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  /**
   * Lets the body go once the value is written or bound (a store's copy holds it), so its memory can
   * be freed before the write completes. The value is empty afterwards.
   */
  release(): void {
    this.#bytes = new Uint8Array(0);
  }

  /** The text as a Buffer (no copy), e.g. to bind it to a statement. */
  buffer(): Buffer {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  /**
   * The first `chars` code points of the text (all of it when shorter). Decodes at most 4 bytes per
   * code point, never the whole value.
   */
  head(chars: number): string {
    const text = this.buffer().toString('utf8', 0, Math.min(this.bytes.byteLength, chars * 4));
    let units = 0;
    for (let n = 0; n < chars && units < text.length; n++) {
      const code = text.charCodeAt(units);
      units += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
    }
    return text.slice(0, units);
  }
}
