import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { ApiKeyRecord } from '../trace-store.js';
import { ValidationError } from '../../shared/errors.js';
import { microsToIso, nowMicros } from '../../shared/time.js';

/** API keys: only the sha256 hex of a key is stored; a hash is registered once (to one project). */
export class SqliteApiKeys {
  private readonly insert: Statement;
  private readonly find: Statement;
  private readonly any: Statement;

  constructor(db: Database) {
    this.insert = db.prepare(
      'INSERT INTO api_keys (id, project_id, key_hash, created_at_us) VALUES (?, ?, ?, ?)',
    );
    this.find = db.prepare('SELECT id, project_id, key_hash, created_at_us FROM api_keys WHERE key_hash = ?');
    this.any = db.prepare('SELECT 1 FROM api_keys LIMIT 1');
  }

  createApiKey(projectId: string, keyHash: string): ApiKeyRecord {
    if (typeof projectId !== 'string' || projectId === '') {
      throw new ValidationError('project_id', 'expected a project id');
    }
    if (typeof keyHash !== 'string' || keyHash === '') {
      throw new ValidationError('key_hash', 'expected the hash of the key');
    }
    if (this.find.get(keyHash)) throw new ValidationError('key_hash', 'this key is already registered');
    const createdAtUs = nowMicros();
    const record: ApiKeyRecord = {
      id: randomUUID(),
      project_id: projectId,
      key_hash: keyHash,
      created_at: microsToIso(createdAtUs),
    };
    this.insert.run(record.id, projectId, keyHash, createdAtUs);
    return record;
  }

  findApiKey(keyHash: string): ApiKeyRecord | null {
    const row = this.find.get(keyHash) as
      { id: string; project_id: string; key_hash: string; created_at_us: number } | undefined;
    if (!row) return null;
    return {
      id: row.id,
      project_id: row.project_id,
      key_hash: row.key_hash,
      created_at: microsToIso(row.created_at_us),
    };
  }

  hasApiKeys(): boolean {
    return this.any.get() !== undefined;
  }
}
