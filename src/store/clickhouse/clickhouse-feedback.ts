import { own } from '../../shared/own.js';
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../../shared/errors.js';
import { microsToIso, nowMicros } from '../../shared/time.js';
import type { FeedbackCreate, FeedbackQuery, FeedbackRecord } from '../trace-store.js';
import { jsonPath } from './call-fields.js';
import { optionalCount } from './call-query-sql.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import type { FieldKind, FieldResolver } from './expr-compiler.js';
import { compilePredicate, compileSort } from './expr-compiler.js';
import { indexJson } from './json-index.js';
import { NO_LIMIT, sqlCount, sqlString } from './sql-literal.js';
import type { Typed } from './typed-sql.js';
import { jsonNode } from './typed-sql.js';

/**
 * Feedback on calls, as in the SQLite store: random UUID ids, `created_at` the server time; queried
 * with the calls' `$expr` language over `id`, `project_id`, `weave_ref`, `feedback_type`, `creator`,
 * `wb_user_id`, `created_at` (a time field) and `payload` / `payload.*`; default order `created_at
 * asc`, then id. One row per feedback, inserted directly (feedback is rare next to calls).
 */

const FIELDS: Record<string, { typed: Typed; kind: FieldKind }> = {
  id: { typed: { t: 'str', sql: 'id', affinity: 'text' }, kind: 'text' },
  project_id: { typed: { t: 'str', sql: 'project_id', affinity: 'text' }, kind: 'text' },
  weave_ref: { typed: { t: 'str', sql: 'weave_ref', affinity: 'text' }, kind: 'text' },
  feedback_type: { typed: { t: 'str', sql: 'feedback_type', affinity: 'text' }, kind: 'text' },
  creator: { typed: { t: 'str', sql: 'creator', affinity: 'text' }, kind: 'text' },
  wb_user_id: { typed: { t: 'str', sql: 'wb_user_id', affinity: 'text' }, kind: 'text' },
  created_at: { typed: { t: 'num', sql: 'created_at', affinity: 'numeric' }, kind: 'time' },
  payload: { typed: { t: 'json', node: jsonNode('payload', '') }, kind: 'json' },
};

export const resolveFeedbackField: FieldResolver = (field, where) => {
  const top = own(FIELDS, field);
  if (top) return { value: top.typed, kind: top.kind };
  if (field.startsWith('payload.')) {
    const path = jsonPath(field.slice('payload.'.length).split('.'), where);
    return { value: { t: 'json', node: jsonNode('payload', path) }, kind: 'json' };
  }
  throw new ValidationError(where, `unknown feedback field "${field}"`);
};

export class ClickHouseFeedback {
  constructor(private readonly conn: ClickHouseConnection) {}

  async create(feedback: FeedbackCreate): Promise<FeedbackRecord> {
    for (const key of ['project_id', 'weave_ref', 'feedback_type'] as const) {
      if (typeof feedback[key] !== 'string' || feedback[key] === '') {
        throw new ValidationError(key, 'expected a non-empty string');
      }
    }
    const payload = feedback.payload ?? {};
    if (typeof payload !== 'object' || Array.isArray(payload))
      throw new ValidationError('payload', 'expected an object');
    const index = indexJson(payload, 'payload');
    const createdAtUs = nowMicros();
    const record: FeedbackRecord = {
      id: randomUUID(),
      project_id: feedback.project_id,
      weave_ref: feedback.weave_ref,
      feedback_type: feedback.feedback_type,
      payload: JSON.parse(index.text ?? '{}') as FeedbackRecord['payload'],
      creator: feedback.creator ?? null,
      wb_user_id: feedback.wb_user_id ?? null,
      created_at: microsToIso(createdAtUs),
    };
    await this.conn.insert(
      'feedback',
      [
        {
          project_id: record.project_id,
          id: record.id,
          weave_ref: record.weave_ref,
          feedback_type: record.feedback_type,
          payload: index.text ?? '{}',
          payload_paths: index.paths,
          payload_kinds: index.kinds,
          payload_num: index.num,
          payload_off: index.off,
          payload_len: index.len,
          creator: record.creator,
          wb_user_id: record.wb_user_id,
          created_at: createdAtUs,
        },
      ],
      'create feedback',
    );
    return record;
  }

  async query(query: FeedbackQuery): Promise<FeedbackRecord[]> {
    if (typeof query.project_id !== 'string' || query.project_id === '') {
      throw new ValidationError('project_id', 'expected a project id');
    }
    let sql =
      'SELECT id, project_id, weave_ref, feedback_type, payload, creator, wb_user_id, created_at FROM feedback ' +
      `WHERE project_id = ${sqlString(query.project_id)}`;
    if (query.query !== undefined)
      sql += ` AND ${compilePredicate(query.query.$expr, resolveFeedbackField, 'query.$expr')}`;
    sql += ` ORDER BY ${compileSort(query.sort_by, resolveFeedbackField, [{ field: 'created_at', direction: 'asc' }])}`;
    const limit = optionalCount(query.limit, 'limit');
    const offset = optionalCount(query.offset, 'offset');
    if (limit !== undefined || offset !== undefined) {
      sql += ` LIMIT ${sqlCount(offset ?? 0)}, ${limit === undefined ? NO_LIMIT : sqlCount(limit)}`;
    }
    const rows = await this.conn.rows(sql, 'query feedback');
    return rows.map((row) => ({
      id: row.id as string,
      project_id: row.project_id as string,
      weave_ref: row.weave_ref as string,
      feedback_type: row.feedback_type as string,
      payload: JSON.parse(row.payload as string) as FeedbackRecord['payload'],
      creator: (row.creator ?? null) as string | null,
      wb_user_id: (row.wb_user_id ?? null) as string | null,
      created_at: microsToIso(row.created_at as number),
    }));
  }
}
