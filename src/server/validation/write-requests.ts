import { ValidationError } from '../../shared/errors.js';
import type { CallPart } from '../../store/trace-store.js';
import { parseCompleteCall, parseEndedCall, parseStartedCall } from './call-parts.js';
import { FieldReader, kindOf } from './field-reader.js';

/**
 * Bodies of the call write endpoints -> validated `CallPart[]`. Everything is validated before anything
 * is written, so a request with one bad item writes nothing. `fromPath` is the project of a v2 URL.
 */

/** `{ batch: [CompleteCall] }` (`/v2/{entity}/{project}/calls/complete`). */
export function parseCompleteBatch(body: unknown, fromPath?: string): CallPart[] {
  const r = FieldReader.of(body, '');
  return r.array('batch').map((item, i) => parseCompleteCall(item, `batch[${i}]`, fromPath));
}

/** `{ start: StartedCall }` (`/call/start`, `/v2/.../call/start`). */
export function parseStartRequest(body: unknown, fromPath?: string): CallPart & { kind: 'start' } {
  const r = FieldReader.of(body, '');
  if (!r.has('start')) r.fail('start', 'is required');
  return parseStartedCall(r.any('start'), 'start', fromPath);
}

/** `{ end: EndedCall }` (`/call/end`, `/v2/.../call/end`). */
export function parseEndRequest(body: unknown, fromPath?: string): CallPart & { kind: 'end' } {
  const r = FieldReader.of(body, '');
  if (!r.has('end')) r.fail('end', 'is required');
  return parseEndedCall(r.any('end'), 'end', fromPath);
}

/** `{ batch: [{ mode: 'start', req: { start } } | { mode: 'end', req: { end } }] }` (`/call/upsert_batch`). */
export function parseUpsertBatch(body: unknown): CallPart[] {
  const r = FieldReader.of(body, '');
  return r.array('batch').map((item, i) => {
    const entry = FieldReader.of(item, `batch[${i}]`);
    const mode = entry.any('mode');
    const req = entry.child('req');
    if (mode === 'start') {
      if (!req.has('start')) req.fail('start', 'is required when mode is "start"');
      return parseStartedCall(req.any('start'), req.at('start'));
    }
    if (mode === 'end') {
      if (!req.has('end')) req.fail('end', 'is required when mode is "end"');
      return parseEndedCall(req.any('end'), req.at('end'));
    }
    throw new ValidationError(entry.at('mode'), `expected "start" or "end", got ${describeMode(mode)}`);
  });
}

function describeMode(mode: unknown): string {
  return typeof mode === 'string' ? JSON.stringify(mode) : kindOf(mode);
}
