import fs from 'node:fs';
import { OWNER_ONLY } from '../../shared/owner-only.js';

/**
 * Creates the database file empty and owner-only (0600) unless it exists, before SQLite opens it:
 * SQLite would create it 0644 (less the umask), and it gives its `-wal` and `-shm` files the database
 * file's permissions, so they are owner-only too. An existing file keeps its permissions.
 */
export function createOwnerOnlyDbFile(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', OWNER_ONLY.file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw err;
  }
  try {
    fs.fchmodSync(fd, OWNER_ONLY.file); // exact, whatever the umask
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Gives the database's `-wal` and `-shm` files (once SQLite opened it) no more permissions than the
 * database file itself: left over from an earlier run they may be more open than a 0600 database.
 */
export function restrictDbSidecars(file: string): void {
  const mode = fs.statSync(file).mode & 0o777;
  for (const sidecar of [`${file}-wal`, `${file}-shm`]) {
    let current: number;
    try {
      current = fs.statSync(sidecar).mode & 0o777;
    } catch {
      continue; // not there (yet)
    }
    if ((current & ~mode) !== 0) fs.chmodSync(sidecar, current & mode);
  }
}
