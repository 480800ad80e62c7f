import type { JsonObject } from './call-types.js';

/**
 * Shapes of the trace server's read API answers beyond calls, shared by the server's stores, the SDK
 * and the web UI (one declaration each: the UI does not restate what the store returns).
 */

/** A feedback item to store (`/feedback/create`). */
export interface FeedbackCreate {
  project_id: string;
  /** `weave:///{entity}/{project}/call/{id}` */
  weave_ref: string;
  feedback_type: string;
  payload: JsonObject;
  creator?: string | null;
  wb_user_id?: string | null;
}

/** A stored feedback item (`/feedback/query` rows). */
export interface FeedbackRecord extends FeedbackCreate {
  id: string;
  created_at: string;
}

/** A row of `GET /api/projects`. */
export interface ProjectSummary {
  project_id: string;
  call_count: number;
  /** ISO time of the latest start or end seen in the project. */
  last_activity: string | null;
}
