/**
 * Permissions of everything weft writes to disk (the SQLite store and its -wal/-shm, spool folders,
 * segments, acks, dead letters): traces hold prompts, outputs and keys' traffic, so only the owner may
 * read them. A umask can only take bits away, so these hold under any umask (022 included).
 */
export const OWNER_ONLY = {
  /** Files: read and write for the owner only. */
  file: 0o600,
  /** Folders: read, write and enter for the owner only. */
  dir: 0o700,
} as const;
