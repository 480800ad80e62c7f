import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { OWNER_ONLY } from '../../shared/owner-only.js';

/**
 * `seg-000001.log 123456`, padded with spaces to this many bytes before its newline: every write has
 * the same length, so it overwrites the last one in place (readAck trims the padding). A segment name
 * is 14 bytes and an offset at most 16 digits.
 */
const LINE_BYTES = 40;

/**
 * A folder's `ack` file (the position up to which the server accepted its records), kept open while
 * the spool reads that folder and rewritten in place. Written once per committed batch: opening it
 * with truncation each time (writeFileSync) cost ~0.4 µs per spilled record of the 1M-call burst
 * (bench/RESULTS.md, #14 eighth pass), and left an empty file, not the old position, if the process
 * died between the truncation and the write.
 */
export class AckFile {
  private folder: string | undefined;
  private fd: number | undefined;

  /** Persists `segment offset` as the acknowledged position of `folder`. */
  write(folder: string, segment: string, offset: number): void {
    if (folder !== this.folder) {
      this.close();
      this.fd = openSync(join(folder, 'ack'), 'w', OWNER_ONLY.file);
      this.folder = folder;
    }
    const line = `${segment} ${offset}`.padEnd(LINE_BYTES) + '\n';
    writeSync(this.fd!, line, 0, 'latin1');
  }

  /** Removes `folder`'s ack file (its records are all acknowledged and deleted). */
  remove(folder: string): void {
    if (folder === this.folder) this.close();
    rmSync(join(folder, 'ack'), { force: true });
  }

  /** Closes the file kept open (before its folder is removed, or when the spool closes). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.folder = undefined;
  }
}
