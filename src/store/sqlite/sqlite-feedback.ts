import { own } from '../../shared/own.js';
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { FeedbackCreate, FeedbackQuery, FeedbackRecord } from '../trace-store.js';
import { ValidationError } from '../../shared/errors.js';
import { microsToIso, nowMicros } from '../../shared/time.js';
import type { FieldKind, FieldResolver } from './sqlite-query.js';
import { optionalCount, toJsonPath } from './sql-fragment.js';
import { compileExpr, compileSort } from './sqlite-query.js';
import type { StatementCache } from './read-pool.js';

/**
 * Feedback on calls. Ids are random UUIDs, `created_at` the server time of creation. Queries use the
 * `$expr` language of calls (see sqlite-query.ts) over the fields `id`, `project_id`, `weave_ref`,
 * `feedback_type`, `creator`, `wb_user_id`, `created_at` (a time field) and `payload` / `payload.*`;
 * the default order is `created_at asc`, then `id`.
 */

const FIELDS: Record<string, { sql: string; kind: FieldKind }> = {
  id: { sql: 'id', kind: 'text' },
  project_id: { sql: 'project_id', kind: 'text' },
  weave_ref: { sql: 'weave_ref', kind: 'text' },
  feedback_type: { sql: 'feedback_type', kind: 'text' },
  creator: { sql: 'creator', kind: 'text' },
  wb_user_id: { sql: 'wb_user_id', kind: 'text' },
  created_at: { sql: 'created_at_us', kind: 'time' },
  payload: { sql: "json_extract(payload, '$')", kind: 'json' },
};

export const resolveFeedbackField: FieldResolver = (field, where) => {
  const top = own(FIELDS, field);
  if (top) return { sql: top.sql, params: [], kind: top.kind };
  if (field.startsWith('payload.')) {
    const path = toJsonPath(field.slice('payload.'.length).split('.'), where);
    return { sql: 'json_extract(payload, ?)', params: [path], kind: 'json' };
  }
  throw new ValidationError(where, `unknown feedback field "${field}"`);
};

const COLUMNS = 'id, project_id, weave_ref, feedback_type, payload, creator, wb_user_id, created_at_us';

export class SqliteFeedback {
  private readonly insert: Statement;

  constructor(
    db: Database,
    private readonly statements: StatementCache,
  ) {
    this.insert = db.prepare(`INSERT INTO feedback (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  create(feedback: FeedbackCreate): FeedbackRecord {
    for (const key of ['project_id', 'weave_ref', 'feedback_type'] as const) {
      if (typeof feedback[key] !== 'string' || feedback[key] === '') {
        throw new ValidationError(key, 'expected a non-empty string');
      }
    }
    const payload = feedback.payload ?? {};
    if (typeof payload !== 'object' || Array.isArray(payload)) {
      throw new ValidationError('payload', 'expected an object');
    }
    let payloadJson: string;
    try {
      payloadJson = JSON.stringify(payload);
    } catch (err) {
      throw new ValidationError('payload', `not JSON-serialisable: ${(err as Error).message}`);
    }
    const record: FeedbackRecord = {
      id: randomUUID(),
      project_id: feedback.project_id,
      weave_ref: feedback.weave_ref,
      feedback_type: feedback.feedback_type,
      payload: JSON.parse(payloadJson) as FeedbackRecord['payload'],
      creator: feedback.creator ?? null,
      wb_user_id: feedback.wb_user_id ?? null,
      created_at: '',
    };
    const createdAtUs = nowMicros();
    record.created_at = microsToIso(createdAtUs);
    this.insert.run(
      record.id,
      record.project_id,
      record.weave_ref,
      record.feedback_type,
      payloadJson,
      record.creator,
      record.wb_user_id,
      createdAtUs,
    );
    return record;
  }

  query(query: FeedbackQuery): FeedbackRecord[] {
    if (typeof query.project_id !== 'string' || query.project_id === '') {
      throw new ValidationError('project_id', 'expected a project id');
    }
    let sql = `SELECT ${COLUMNS} FROM feedback WHERE project_id = ?`;
    const params: unknown[] = [query.project_id];
    if (query.query !== undefined) {
      const expr = compileExpr(query.query.$expr, resolveFeedbackField, 'query.$expr');
      sql += ` AND ${expr.sql}`;
      params.push(...expr.params);
    }
    const order = compileSort(query.sort_by, resolveFeedbackField, [
      { field: 'created_at', direction: 'asc' },
    ]);
    sql += ` ORDER BY ${order.sql}`;
    params.push(...order.params);
    if (query.limit !== undefined || query.offset !== undefined) {
      sql += ' LIMIT ? OFFSET ?';
      params.push(optionalCount(query.limit, 'limit') ?? -1, optionalCount(query.offset, 'offset') ?? 0);
    }
    const rows = this.statements.get(sql).all(...params) as Record<string, unknown>[];
    return rows.map((row) => ({
      id: row.id as string,
      project_id: row.project_id as string,
      weave_ref: row.weave_ref as string,
      feedback_type: row.feedback_type as string,
      payload: JSON.parse(row.payload as string) as FeedbackRecord['payload'],
      creator: (row.creator ?? null) as string | null,
      wb_user_id: (row.wb_user_id ?? null) as string | null,
      created_at: microsToIso(row.created_at_us as number),
    }));
  }
}
