import { StoreError } from '../shared/errors.js';
import type {
  ApiKeyRecord,
  FeedbackCreate,
  FeedbackQuery,
  FeedbackRecord,
  ObjectCreate,
  ObjectRecord,
  ObjectsQuery,
  ProjectSummary,
  StoreStats,
  TraceStore,
} from './trace-store.js';

/** A `TraceStore` method as a part may implement it: returning the value or a promise of it. */
type PartMethod<F> = F extends (...args: infer A) => Promise<infer R>
  ? (...args: A) => R | Promise<R>
  : never;
type PartOf<K extends keyof TraceStore> = { [M in K]: PartMethod<TraceStore[M]> };

/**
 * What a store keeps besides calls, each kind in a part object of its own (a backend may give one
 * object several roles, e.g. one for tables and files).
 */
export interface StoreParts {
  feedback: {
    create: PartMethod<TraceStore['createFeedback']>;
    query: PartMethod<TraceStore['queryFeedback']>;
  };
  objects: PartOf<'createObject' | 'readObject' | 'queryObjects'>;
  tables: PartOf<'createTable' | 'queryTable'>;
  files: PartOf<'createFile' | 'readFile'>;
  projects: PartOf<'listProjects' | 'stats'>;
  keys: PartOf<'createApiKey' | 'findApiKey' | 'hasApiKeys'>;
}

/**
 * The half of a `TraceStore` that is the same for every backend: feedback, objects, tables, files,
 * projects and API keys are each answered by one of the store's parts, once the store is known to be
 * open. A backend extends it and implements the calls (ingest, queries, delete, update) and `close`.
 */
export abstract class StoreFront {
  protected abstract readonly parts: StoreParts;
  protected closed = false;

  /** Throws `STORE_CLOSED` once the store is closed. */
  protected assertOpen(): void {
    if (this.closed) throw new StoreError('the store is closed', 'STORE_CLOSED');
  }

  async createFeedback(feedback: FeedbackCreate): Promise<FeedbackRecord> {
    this.assertOpen();
    return this.parts.feedback.create(feedback);
  }

  async queryFeedback(query: FeedbackQuery): Promise<FeedbackRecord[]> {
    this.assertOpen();
    return this.parts.feedback.query(query);
  }

  async createObject(obj: ObjectCreate): Promise<string> {
    this.assertOpen();
    return this.parts.objects.createObject(obj);
  }

  async readObject(projectId: string, objectId: string, digest: string): Promise<ObjectRecord | null> {
    this.assertOpen();
    return this.parts.objects.readObject(projectId, objectId, digest);
  }

  async queryObjects(query: ObjectsQuery): Promise<ObjectRecord[]> {
    this.assertOpen();
    return this.parts.objects.queryObjects(query);
  }

  async createTable(projectId: string, rows: unknown[]): Promise<{ digest: string; row_digests: string[] }> {
    this.assertOpen();
    return this.parts.tables.createTable(projectId, rows);
  }

  async queryTable(
    projectId: string,
    digest: string,
    options?: { limit?: number; offset?: number },
  ): Promise<{ digest: string; val: unknown }[] | null> {
    this.assertOpen();
    return this.parts.tables.queryTable(projectId, digest, options);
  }

  async createFile(projectId: string, name: string, content: Buffer): Promise<string> {
    this.assertOpen();
    return this.parts.files.createFile(projectId, name, content);
  }

  async readFile(projectId: string, digest: string): Promise<Buffer | null> {
    this.assertOpen();
    return this.parts.files.readFile(projectId, digest);
  }

  async listProjects(): Promise<ProjectSummary[]> {
    this.assertOpen();
    return this.parts.projects.listProjects();
  }

  async stats(): Promise<StoreStats> {
    this.assertOpen();
    return this.parts.projects.stats();
  }

  async createApiKey(projectId: string, keyHash: string): Promise<ApiKeyRecord> {
    this.assertOpen();
    return this.parts.keys.createApiKey(projectId, keyHash);
  }

  async findApiKey(keyHash: string): Promise<ApiKeyRecord | null> {
    this.assertOpen();
    return this.parts.keys.findApiKey(keyHash);
  }

  async hasApiKeys(): Promise<boolean> {
    this.assertOpen();
    return this.parts.keys.hasApiKeys();
  }
}
