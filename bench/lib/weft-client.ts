import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { init, type WeftClient } from '../../src/index.js';

/**
 * `init()` with default options, except that the disk spool (where records spill under memory
 * pressure or while the server is down) lives in a fresh temp folder instead of `./.weft/spool`, so a
 * bench leaves nothing behind in the working directory. `close()` finishes the client and removes it.
 */
export async function initBenchClient(
  project: string,
  serverUrl: string,
): Promise<{ client: WeftClient; spoolDir: string; close: () => Promise<void> }> {
  const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-spool-'));
  const client = await init({ project, serverUrl, spoolDir });
  return {
    client,
    spoolDir,
    close: async () => {
      await client.finish();
      fs.rmSync(spoolDir, { recursive: true, force: true });
    },
  };
}
