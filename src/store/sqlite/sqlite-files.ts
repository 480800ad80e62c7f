import type { Database, Statement } from 'better-sqlite3';
import { ValidationError } from '../../shared/errors.js';
import { sha256Digest } from '../../shared/digest.js';

/**
 * Content-addressed files: the digest is the sha256 of the bytes (digest.ts). The same content stored
 * twice in a project is kept once, under the name it was first stored with.
 */
export class SqliteFiles {
  private readonly insert: Statement;
  private readonly read: Statement;

  constructor(db: Database) {
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO files (project_id, digest, name, content) VALUES (?, ?, ?, ?)',
    );
    this.read = db.prepare('SELECT content FROM files WHERE project_id = ? AND digest = ?');
  }

  createFile(projectId: string, name: string, content: Buffer): string {
    if (typeof projectId !== 'string' || projectId === '') {
      throw new ValidationError('project_id', 'expected a project id');
    }
    if (!Buffer.isBuffer(content)) throw new ValidationError('content', 'expected a Buffer');
    const digest = sha256Digest(content);
    this.insert.run(projectId, digest, String(name ?? ''), content);
    return digest;
  }

  readFile(projectId: string, digest: string): Buffer | null {
    const row = this.read.get(projectId, digest) as { content: Buffer } | undefined;
    return row ? row.content : null;
  }
}
