import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { OWNER_ONLY } from '../../shared/owner-only.js';
import type { ItemKind } from '../send-queue.js';

/**
 * Records the server rejected for good (a 4xx other than 413), with the server's message, appended to
 * `<spool dir>/dead-letter.ndjson` so nothing disappears silently. One line per record:
 * `{"at":"...","status":400,"message":"...","kind":"complete","record":{...}}`. The file is owner-only.
 */
export class DeadLetter {
  readonly path: string;
  count = 0;

  constructor(private readonly dir: string) {
    this.path = join(dir, 'dead-letter.ndjson');
  }

  write(kind: ItemKind, json: string, status: number, message: string): void {
    this.count++;
    try {
      mkdirSync(this.dir, { recursive: true, mode: OWNER_ONLY.dir });
      const head = JSON.stringify({ at: new Date().toISOString(), status, message, kind });
      appendFileSync(this.path, `${head.slice(0, -1)},"record":${json}}\n`, { mode: OWNER_ONLY.file });
    } catch {
      // the caller logs the rejection either way
    }
  }
}
