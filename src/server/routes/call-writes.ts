import type { CallPart } from '../../store/trace-store.js';
import type { Principal } from '../auth.js';
import { authorizeProject } from '../auth.js';
import {
  parseCompleteBatch,
  parseEndRequest,
  parseStartRequest,
  parseUpsertBatch,
} from '../validation/write-requests.js';
import { ingestAt } from './calls-write-paths.js';

/** The call write endpoints, by name: the same names on the event loop and in the write worker. */
export type CallWriteKind = 'complete' | 'start' | 'end' | 'upsert';

/** One call write request, everything but its body: cloneable, so it can be handed to a worker. */
export interface CallWriteJob {
  kind: CallWriteKind;
  /** `entity/project` of a v2 URL, already checked and authorised; absent on the v1 routes. */
  pathProject: string | undefined;
  principal: Principal;
}

/** What a store must offer to take call writes. */
export interface CallIngest {
  ingest(parts: CallPart[]): Promise<void>;
}

/**
 * Validates a call write request's parsed body, authorises the projects it names (v1 routes) and
 * writes it with one `store.ingest` (one transaction: all of it or nothing). Returns the JSON answer.
 * Runs on the event loop for small bodies and in the write worker for large ones (offload/store-offload.ts):
 * one function, so both give the same answers and the same errors.
 */
export async function writeCalls(
  store: CallIngest,
  job: CallWriteJob,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { pathProject, principal } = job;
  switch (job.kind) {
    case 'complete': {
      const parts = parseCompleteBatch(body, pathProject);
      await ingestAt(store, parts, (i) => `batch[${i}]`);
      return {};
    }
    case 'start': {
      const part = parseStartRequest(body, pathProject);
      if (pathProject === undefined) authorizeProject(principal, part.call.project_id, 'start.project_id');
      await ingestAt(store, [part], () => 'start');
      return { id: part.call.id, trace_id: part.call.trace_id };
    }
    case 'end': {
      const part = parseEndRequest(body, pathProject);
      if (pathProject === undefined) authorizeProject(principal, part.call.project_id, 'end.project_id');
      await ingestAt(store, [part], () => 'end');
      return {};
    }
    case 'upsert': {
      const parts = parseUpsertBatch(body);
      parts.forEach((p, i) =>
        authorizeProject(principal, p.call.project_id, `${upsertItem(p, i)}.project_id`),
      );
      await ingestAt(store, parts, (i) => upsertItem(parts[i], i));
      return { res: parts.map(upsertResult) };
    }
  }
}

/** `batch[i].req.start` or `batch[i].req.end`: where item `i` of an upsert batch sits in the body. */
function upsertItem(part: CallPart | undefined, i: number): string {
  return `batch[${i}].req.${part?.kind === 'start' ? 'start' : 'end'}`;
}

function upsertResult(part: CallPart): Record<string, unknown> {
  return part.kind === 'start' ? { id: part.call.id, trace_id: part.call.trace_id } : {};
}
