/** Size of a {@link UiFileCache}: how many files it holds and their bytes (plain plus gzipped). */
export interface UiFileCacheStats {
  entries: number;
  bytes: number;
}

/** Limits of a {@link UiFileCache}. */
export interface UiFileCacheLimits {
  /** Most files held at once. */
  maxEntries: number;
  /** Most bytes held at once; a single file bigger than this is never cached. */
  maxBytes: number;
}

/**
 * Least-recently-used cache of the web UI's files, keyed by resolved absolute path (never by the request's
 * spelling of it) and bounded in entries and bytes: whatever the requests, it never holds more than the
 * limits. `get` marks an entry as used; `set` evicts the least recently used entries to make room.
 */
export class UiFileCache<T extends { byteLength: number }> {
  private readonly entries = new Map<string, T>();
  private bytes = 0;

  constructor(private readonly limits: UiFileCacheLimits) {}

  get(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Stores `value` under `key`; false (and nothing stored) when it alone exceeds `maxBytes`. */
  set(key: string, value: T): boolean {
    const { maxEntries, maxBytes } = this.limits;
    if (maxEntries < 1 || value.byteLength > maxBytes) return false;
    this.delete(key);
    while (this.entries.size >= maxEntries || this.bytes + value.byteLength > maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
    }
    this.entries.set(key, value);
    this.bytes += value.byteLength;
    return true;
  }

  stats(): UiFileCacheStats {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (old === undefined) return;
    this.entries.delete(key);
    this.bytes -= old.byteLength;
  }
}
