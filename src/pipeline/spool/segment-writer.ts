import { closeSync, fsync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { OWNER_ONLY } from '../../shared/owner-only.js';
import type { ItemKind } from '../send-queue.js';
import { LineBuffer } from './line-buffer.js';
import { encodeLine } from './spool-line.js';

/** What the segment writer takes from the spool's configuration (see SpoolConfig). */
export interface SegmentWriterConfig {
  segmentBytes: number;
  fsyncIntervalMs: number;
  writeAtOnce: boolean;
  onWriteError?: (err: unknown) => void;
}

/**
 * Writes this process's spool lines into its segment files (`seg-000001.log`, ...), one segment at a
 * time, starting the next past `segmentBytes`. Lines are buffered and written by the end of the turn
 * that added them (at once with `writeAtOnce`), and fsynced within `fsyncIntervalMs`.
 */
export class SegmentWriter {
  private fd: number | undefined;
  private segIndex = 0;
  private segBytes = 0;
  private name: string | undefined;
  private dirty = false;
  private fsyncTimer: NodeJS.Timeout | undefined;
  /** Lines added and not written yet, and the turn's end that writes them. */
  private readonly lines = new LineBuffer();
  private endOfTurn: NodeJS.Immediate | undefined;

  constructor(private readonly config: SegmentWriterConfig) {}

  /** The name of the segment being written; undefined when none is open. */
  get segment(): string | undefined {
    return this.fd === undefined ? undefined : this.name;
  }

  /**
   * Adds a record's line to the segment being written in `folder` (opening the next one when this one
   * is full) and returns the line's size in bytes; undefined, with nothing added, if it is larger than
   * `room`.
   */
  append(folder: string, kind: ItemKind, seq: number, json: string, room: number): number | undefined {
    if (this.fd === undefined || this.segBytes >= this.config.segmentBytes) this.rotate(folder);
    let len = this.lines.add(kind, seq, json);
    if (len === undefined) {
      this.writePending();
      len = this.lines.add(kind, seq, json);
    }
    if (len === undefined) return this.appendAlone(kind, seq, json, room);
    if (len > room) {
      this.lines.undo(len);
      return undefined;
    }
    this.appended(len);
    if (this.config.writeAtOnce) this.writePending();
    else this.endOfTurn ??= setImmediate(() => this.writeAtEndOfTurn());
    return len;
  }

  /** Writes the lines waiting in the buffer to the segment being written. */
  writePending(): void {
    if (this.endOfTurn) clearImmediate(this.endOfTurn);
    this.endOfTurn = undefined;
    const fd = this.fd;
    if (fd === undefined) return;
    this.lines.take((bytes) => {
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
    });
  }

  /** Writes and fsyncs synchronously (process exit). */
  syncNow(): void {
    this.writePending();
    if (this.fd !== undefined && this.dirty) fsyncSync(this.fd);
    this.dirty = false;
  }

  /** Writes, fsyncs and closes the segment being written; false if none was open. */
  close(): boolean {
    if (this.fsyncTimer) clearTimeout(this.fsyncTimer);
    this.fsyncTimer = undefined;
    if (this.fd === undefined) return false;
    this.syncNow();
    closeSync(this.fd);
    this.fd = undefined;
    return true;
  }

  /** A line larger than the buffer (a huge record): written on its own, after what is waiting. */
  private appendAlone(kind: ItemKind, seq: number, json: string, room: number): number | undefined {
    const line = encodeLine(kind, seq, json);
    const len = Buffer.byteLength(line);
    if (len > room) return undefined;
    this.writePending();
    writeSync(this.fd!, line);
    this.appended(len);
    return len;
  }

  private appended(len: number): void {
    this.segBytes += len;
    this.scheduleFsync();
  }

  private writeAtEndOfTurn(): void {
    try {
      this.writePending();
    } catch (err) {
      this.config.onWriteError?.(err);
    }
  }

  private rotate(folder: string): void {
    if (this.fd !== undefined) {
      this.writePending();
      closeAfterFsync(this.fd, this.dirty);
      this.dirty = false;
    }
    this.segIndex++;
    this.name = `seg-${String(this.segIndex).padStart(6, '0')}.log`;
    this.fd = openSync(join(folder, this.name), 'a', OWNER_ONLY.file);
    this.segBytes = 0;
  }

  private scheduleFsync(): void {
    this.dirty = true;
    if (this.fsyncTimer) return;
    this.fsyncTimer = setTimeout(() => {
      this.fsyncTimer = undefined;
      const fd = this.fd;
      if (fd === undefined || !this.dirty) return;
      this.dirty = false;
      fsync(fd, () => {});
    }, this.config.fsyncIntervalMs);
    this.fsyncTimer.unref();
  }
}

/**
 * A finished segment is fsynced on the thread pool, then closed: a burst that spills rotates every few
 * MiB, and an fsync on the calling thread stalled it each time (~0.2 µs per spilled record).
 */
function closeAfterFsync(fd: number, dirty: boolean): void {
  const close = (): void => {
    try {
      closeSync(fd);
    } catch {
      // already closed: nothing to release
    }
  };
  if (dirty) fsync(fd, close);
  else close();
}
