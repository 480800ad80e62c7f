import type { CallRecord, CompleteCall, EndedCall, StartedCall } from '../shared/call-types.js';
import type { CallsFilter, QueryOperand, SortBy } from '../shared/query-types.js';
import type { FeedbackCreate, FeedbackRecord, ProjectSummary } from '../shared/api-types.js';

export type { FeedbackCreate, FeedbackRecord, ProjectSummary } from '../shared/api-types.js';
export type { CallsFilter, QueryOperand, QueryOperation, SortBy } from '../shared/query-types.js';

/**
 * The storage interface behind the trace server. Routes validate requests, then call a store;
 * every implementation (SQLite, ClickHouse) passes the same contract suite (`contract.test-suite.ts`).
 */

/** One half of a call, or both, as validated by the server. Times are already integer microseconds. */
export type CallPart =
  | { kind: 'start'; call: StartedCall; startedAtUs: number }
  | { kind: 'end'; call: EndedCall; endedAtUs: number; startedAtUs?: number }
  | { kind: 'complete'; call: CompleteCall; startedAtUs: number; endedAtUs: number };

export interface CallsQuery {
  project_id: string;
  filter?: CallsFilter;
  query?: { $expr: QueryOperand };
  sort_by?: SortBy[];
  limit?: number;
  offset?: number;
  /** Top-level fields to return; `id`, `project_id` and `status` are always returned. */
  columns?: string[];
  /**
   * JSON fields whose stored text is longer than this many bytes are returned as a `TruncatedValue`
   * marker (src/shared/api-types.ts), cut in the store's SQL so big values never reach the server's
   * memory. An integer of at least `MIN_TRUNCATE_BYTES`; absent: full values.
   */
  truncate_values_over?: number;
}

export interface FeedbackQuery {
  project_id: string;
  /** Same `$expr` language; fields: `id`, `weave_ref`, `feedback_type`, `created_at`, `payload.*`. */
  query?: { $expr: QueryOperand };
  sort_by?: SortBy[];
  limit?: number;
  offset?: number;
}

export interface ObjectRecord {
  project_id: string;
  object_id: string;
  digest: string;
  base_object_class: string | null;
  val: unknown;
  created_at: string;
  version_index: number;
  is_latest: boolean;
}

export interface ObjectsQuery {
  project_id: string;
  filter?: { object_ids?: string[]; latest_only?: boolean; base_object_classes?: string[] };
  limit?: number;
  offset?: number;
}

export interface ApiKeyRecord {
  id: string;
  project_id: string;
  /** sha256 hex of the key; the key itself is never stored. */
  key_hash: string;
  created_at: string;
}

export interface StoreStats {
  calls: number;
  projects: number;
}

/** An object to store (`/obj/create`): content-addressed by its `val`. */
export interface ObjectCreate {
  project_id: string;
  object_id: string;
  val: unknown;
  base_object_class?: string | null;
}

export interface TraceStore {
  /** `sqlite` or `clickhouse`; reported by `/server_info`. */
  readonly kind: string;

  /**
   * True when `ingest` takes a call's JSON fields as `RawJson` (src/shared/raw-json.ts: canonical JSON
   * text, written as it is); the store worker then keeps large values as text instead of parsing them.
   */
  readonly storesRawJson?: boolean;

  /** Writes all parts in one transaction: all or nothing. Idempotent and order-free. */
  ingest(parts: CallPart[]): Promise<void>;
  /** Streams matching calls without holding them all in memory. */
  queryCalls(query: CallsQuery): AsyncIterable<CallRecord>;
  /**
   * Optional: the same stream as `queryCalls`, each call as its JSON text (what `JSON.stringify` of
   * the record gives, no newline). A store that keeps JSON as text can skip parsing it only for the
   * server to stringify it again; the NDJSON endpoint uses it when present.
   */
  queryCallsJson?(query: CallsQuery): AsyncIterable<string>;
  countCalls(query: Omit<CallsQuery, 'sort_by' | 'offset' | 'columns'>): Promise<number>;
  readCall(projectId: string, id: string): Promise<CallRecord | null>;
  /** Deletes the calls and all their descendants; returns how many calls were deleted. */
  deleteCalls(projectId: string, ids: string[]): Promise<number>;
  /** `display_name: ''` or null removes the name. Returns false if the call does not exist. */
  updateCall(projectId: string, id: string, update: { display_name: string | null }): Promise<boolean>;

  createFeedback(feedback: FeedbackCreate): Promise<FeedbackRecord>;
  queryFeedback(query: FeedbackQuery): Promise<FeedbackRecord[]>;

  /** Content-addressed: the same val gives the same digest; returns the digest. */
  createObject(obj: ObjectCreate): Promise<string>;
  /** digest may be `latest` or a version alias `v3`. */
  readObject(projectId: string, objectId: string, digest: string): Promise<ObjectRecord | null>;
  queryObjects(query: ObjectsQuery): Promise<ObjectRecord[]>;
  createTable(projectId: string, rows: unknown[]): Promise<{ digest: string; row_digests: string[] }>;
  queryTable(
    projectId: string,
    digest: string,
    options?: { limit?: number; offset?: number },
  ): Promise<{ digest: string; val: unknown }[] | null>;
  createFile(projectId: string, name: string, content: Buffer): Promise<string>;
  readFile(projectId: string, digest: string): Promise<Buffer | null>;

  listProjects(): Promise<ProjectSummary[]>;
  stats(): Promise<StoreStats>;

  createApiKey(projectId: string, keyHash: string): Promise<ApiKeyRecord>;
  findApiKey(keyHash: string): Promise<ApiKeyRecord | null>;
  hasApiKeys(): Promise<boolean>;

  close(): Promise<void>;
}
