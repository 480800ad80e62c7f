import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OWNER_ONLY } from '../../shared/owner-only.js';
import { withoutCredentials } from '../../shared/without-credentials.js';

/**
 * Where spooled items live on disk:
 *
 *   <root>/<entity>/<project>/<server-hash>/server.json          which server these items are for
 *   <root>/<entity>/<project>/<server-hash>/dead-letter.ndjson   items the server rejected, with its message
 *   <root>/<entity>/<project>/<server-hash>/<owner>/             one folder per writing process
 *       lock                      the owner's pid
 *       seg-000001.log ...        append-only segments of spooled items (see spool-line.ts)
 *       ack                       "<segment> <offset>": everything before was accepted by the server
 *       adopted-<owner>/          a dead process's folder, taken over for replay
 *
 * A process adopts the folders of processes that are no longer alive (crashed, killed, exited with
 * data unsent) by renaming them into its own folder: the rename is atomic, so two processes never
 * replay the same folder.
 *
 * Folders are created owner-only (0700) and files 0600 (see OWNER_ONLY). `server.json` never holds
 * credentials: the URL is written without user info, query or fragment.
 */
export function serverDir(root: string, projectId: string, serverUrl: string): string {
  const [entity = '_', project = '_'] = projectId.split('/');
  const hash = createHash('sha256').update(serverUrl).digest('hex').slice(0, 12);
  return join(root, safe(entity), safe(project), hash);
}

function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, '_');
}

let ownCount = 0;
/** Folders owned by spools of this very process: alive, whatever their pid says. */
const ownedHere = new Set<string>();

/** Forgets a folder of this process (it was removed). */
export function releaseOwnDir(own: string): void {
  ownedHere.delete(own);
}

/**
 * Creates this process's own folder (with its lock) and records the server URL, without credentials
 * (a `server.json` an older version wrote with them is rewritten).
 */
export function createOwnDir(dir: string, serverUrl: string): string {
  mkdirSync(dir, { recursive: true, mode: OWNER_ONLY.dir });
  writeServerInfo(join(dir, 'server.json'), serverUrl);
  const own = join(dir, `p${process.pid}-${Date.now().toString(36)}-${(ownCount++).toString(36)}`);
  mkdirSync(own, { mode: OWNER_ONLY.dir });
  writeFileSync(join(own, 'lock'), String(process.pid), { mode: OWNER_ONLY.file });
  ownedHere.add(own);
  return own;
}

function writeServerInfo(info: string, serverUrl: string): void {
  const content = JSON.stringify({ serverUrl: withoutCredentials(serverUrl) }) + '\n';
  if (existsSync(info) && readFileSync(info, 'utf8') === content) return;
  const tmp = `${info}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: OWNER_ONLY.file });
  renameSync(tmp, info);
}

/** Moves every folder of a dead writer into `own`; returns the adopted paths, oldest first. */
export function adoptDeadDirs(dir: string, own: () => string): string[] {
  if (!existsSync(dir)) return [];
  const adopted: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (!name.startsWith('p') || isAlive(path)) continue;
    const ownDir = own();
    const target = join(ownDir, `adopted-${name}`);
    try {
      renameSync(path, target);
      adopted.push(target);
    } catch {
      // another process adopted it first
    }
  }
  return adopted;
}

function isAlive(folder: string): boolean {
  if (ownedHere.has(folder)) return true;
  let pid: number;
  try {
    pid = Number(readFileSync(join(folder, 'lock'), 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  // Our own pid on another folder: an earlier process that had the same pid (pid 1 in containers).
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Folders (own or adopted, nested) that hold segments, in replay order: adopted first. */
export function replayOrder(own: string): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    let names: string[];
    try {
      names = readdirSync(folder).sort();
    } catch {
      return;
    }
    for (const n of names) if (n.startsWith('adopted-')) walk(join(folder, n));
    out.push(folder);
  };
  walk(own);
  return out;
}

export function segmentNames(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((n) => /^seg-\d{6}\.log$/.test(n))
      .sort();
  } catch {
    return [];
  }
}
