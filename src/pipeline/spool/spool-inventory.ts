import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { replayOrder, segmentNames } from './spool-layout.js';

/** What waits in the spool for one project and server. */
export interface SpoolEntry {
  projectId: string;
  serverUrl: string;
  dir: string;
  /** Writer folders (live or dead processes), adopted ones included. */
  folders: number;
  /** Records not yet accepted by the server. */
  records: number;
  bytes: number;
  /** Records the server rejected, kept in dead-letter.ndjson. */
  deadLetters: number;
}

/** Walks `<root>/<entity>/<project>/<server-hash>/` and counts what waits there. Read-only. */
export function spoolInventory(root: string): SpoolEntry[] {
  const out: SpoolEntry[] = [];
  for (const entity of list(root)) {
    for (const project of list(join(root, entity))) {
      for (const hash of list(join(root, entity, project))) {
        const dir = join(root, entity, project, hash);
        let serverUrl = '?';
        try {
          serverUrl = (JSON.parse(readFileSync(join(dir, 'server.json'), 'utf8')) as { serverUrl: string })
            .serverUrl;
        } catch {
          continue; // not a spool folder
        }
        const entry: SpoolEntry = {
          projectId: `${entity}/${project}`,
          serverUrl,
          dir,
          folders: 0,
          records: 0,
          bytes: 0,
          deadLetters: countLines(join(dir, 'dead-letter.ndjson'), 0),
        };
        for (const writer of list(dir)) {
          for (const folder of replayOrder(join(dir, writer))) {
            entry.folders++;
            const ack = readAck(folder);
            for (const seg of segmentNames(folder)) {
              if (ack && seg < ack.segment) continue;
              const from = ack && seg === ack.segment ? ack.offset : 0;
              entry.bytes += Math.max(0, statSync(join(folder, seg)).size - from);
            }
            entry.records += recordsAfter(folder, ack);
          }
        }
        out.push(entry);
      }
    }
  }
  return out;
}

/** Records in a writer folder after a position (its acknowledged one; undefined: from the start). */
export function recordsAfter(folder: string, from: { segment: string; offset: number } | undefined): number {
  let n = 0;
  for (const seg of segmentNames(folder)) {
    if (from && seg < from.segment) continue;
    n += countLines(join(folder, seg), from && seg === from.segment ? from.offset : 0);
  }
  return n;
}

function list(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** A writer folder's persisted acknowledged position, if any. */
export function readAck(folder: string): { segment: string; offset: number } | undefined {
  try {
    const [segment, offset] = readFileSync(join(folder, 'ack'), 'utf8').trim().split(' ');
    return segment ? { segment, offset: Number(offset) || 0 } : undefined;
  } catch {
    return undefined;
  }
}

function countLines(path: string, from: number): number {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    return 0;
  }
  let n = 0;
  for (let i = buf.indexOf(10, from); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return n;
}
