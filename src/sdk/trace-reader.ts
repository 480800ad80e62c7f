import type { CallRecord, JsonObject } from '../shared/call-types.js';
import { TransportError } from '../shared/errors.js';
import type { CallsFilter, QueryOperand, SortBy } from '../shared/query-types.js';
import { readNdjson } from '../shared/read-ndjson.js';
import { isRetryableStatus } from '../shared/retryable-status.js';
import { parseRetryAfter } from '../pipeline/retry-policy.js';

/** Defaults of the SDK's read API ({@link TraceReader}). */
export const READER_DEFAULTS = {
  /**
   * Longest wait for the server's answer (its headers, for a stream) before the request fails.
   * @default 30000
   */
  timeoutMs: 30_000,
  /**
   * Further attempts of a read (`getCall`, `getCalls` before its first value) after a network error,
   * a timeout, 408, 425, 429 or 5xx, with exponential backoff; writes (delete, update, feedback) are
   * sent once.
   * @default 2
   */
  readRetries: 2,
  /**
   * Backoff before the first retry, doubled for each next one.
   * @default 250
   */
  retryBaseMs: 250,
};

/** What `client.getCalls()` accepts: the read API's query in camelCase. */
export interface GetCallsOptions {
  filter?: CallsFilter;
  /** A Weave `$expr`, e.g. `{ $eq: [{ $getField: 'inputs.model' }, { $literal: 'gpt-x' }] }`. */
  query?: QueryOperand;
  /** @default [{ field: 'started_at', direction: 'asc' }] */
  sortBy?: SortBy[];
  /** Most calls to return. @default all that match */
  limit?: number;
  offset?: number;
  /** Top-level fields to return (`id`, `project_id` and `status` always come). */
  columns?: string[];
}

export interface Feedback {
  /** e.g. `note`, `reaction`, `score`. */
  type: string;
  payload: JsonObject;
}

export interface FeedbackCreated {
  id: string;
  created_at: string;
  payload: JsonObject;
}

/**
 * The SDK's read side: queries, reads, deletes and annotates calls through the server's public read
 * API. Unlike tracing, these are explicit requests: they reject with a TransportError on failure.
 */
export class TraceReader {
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly projectId: string,
    serverUrl: string,
    apiKey: string | undefined,
  ) {
    this.base = serverUrl.replace(/\/+$/, '');
    this.headers = { 'content-type': 'application/json' };
    if (apiKey) this.headers.authorization = `Bearer ${apiKey}`;
  }

  /** Streams matching calls from `/calls/stream_query`, one NDJSON line at a time, with backpressure. */
  async *getCalls(options: GetCallsOptions = {}): AsyncGenerator<CallRecord> {
    const body: JsonObject = { project_id: this.projectId };
    if (options.filter) body.filter = options.filter;
    if (options.query) body.query = { $expr: options.query };
    if (options.sortBy) body.sort_by = options.sortBy;
    if (options.limit !== undefined) body.limit = options.limit;
    if (options.offset !== undefined) body.offset = options.offset;
    if (options.columns) body.columns = options.columns;
    const res = await this.post('/calls/stream_query', body, true);
    if (res.body) yield* readNdjson<CallRecord>(res.body);
  }

  async getCall(id: string): Promise<CallRecord | null> {
    const res = await this.post('/call/read', { project_id: this.projectId, id }, true);
    return ((await res.json()) as { call: CallRecord | null }).call;
  }

  /** Deletes the calls and their descendants; resolves with how many calls were deleted. */
  async deleteCalls(ids: string[]): Promise<number> {
    const res = await this.post('/calls/delete', { project_id: this.projectId, call_ids: ids });
    return ((await res.json()) as { num_deleted: number }).num_deleted;
  }

  /** `displayName: ''` removes the name. */
  async updateCall(id: string, update: { displayName: string }): Promise<void> {
    const res = await this.post('/call/update', {
      project_id: this.projectId,
      call_id: id,
      display_name: update.displayName,
    });
    await res.arrayBuffer();
  }

  async addFeedback(callId: string, feedback: Feedback): Promise<FeedbackCreated> {
    const res = await this.post('/feedback/create', {
      project_id: this.projectId,
      weave_ref: `weave:///${this.projectId}/call/${callId}`,
      feedback_type: feedback.type,
      payload: feedback.payload,
    });
    return (await res.json()) as FeedbackCreated;
  }

  /** POSTs `body`; a read (`idempotent`) is retried on transient failures. */
  private async post(path: string, body: JsonObject, idempotent = false): Promise<Response> {
    const attempts = idempotent ? 1 + READER_DEFAULTS.readRetries : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(path, body);
      } catch (err) {
        if (!(err instanceof TransportError) || !err.retryable || attempt >= attempts) throw err;
        const delay = Math.min(err.retryAfterMs ?? READER_DEFAULTS.retryBaseMs * 2 ** (attempt - 1), 10_000);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async send(path: string, body: JsonObject): Promise<Response> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), READER_DEFAULTS.timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method: 'POST',
        headers: this.headers,
        body: JSON.stringify(body),
        signal: timeout.signal,
      });
    } catch (err) {
      const reason = timeout.signal.aborted
        ? `no answer within ${READER_DEFAULTS.timeoutMs} ms`
        : String(err);
      throw new TransportError(`POST ${path} failed: ${reason}`, { status: 0, retryable: true, cause: err });
    } finally {
      clearTimeout(timer);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new TransportError(`POST ${path} answered ${res.status}: ${text.slice(0, 500)}`, {
        status: res.status,
        retryable: isRetryableStatus(res.status),
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
      });
    }
    return res;
  }
}
