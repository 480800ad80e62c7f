import { ValidationError } from '../../shared/errors.js';
import type { FieldReader } from './field-reader.js';

/** One segment of `entity/project`: no slash, whitespace, or URL-special characters; at most 128 chars. */
const SEGMENT = /^[^/\\\s#?%:]{1,128}$/;

/** True for a well-formed `entity/project`. */
export function isProjectId(value: string): boolean {
  const parts = value.split('/');
  return parts.length === 2 && parts.every((p) => SEGMENT.test(p));
}

/** Checks an `entity/project` string, naming `path` when it is malformed. */
export function checkProjectId(value: string, path: string): string {
  if (!isProjectId(value)) {
    throw new ValidationError(
      path,
      `expected a project id of the form entity/project, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Reads `project_id` from an object. With `fromPath` (v2 routes, `/v2/{entity}/{project}/...`) the field
 * may be omitted and defaults to the path's project; when present it must equal it. `fromPath` must be
 * a checked project id (the routes check it before reading the body).
 */
export function readProjectId(reader: FieldReader, fromPath?: string, key = 'project_id'): string {
  if (fromPath !== undefined && !reader.has(key)) return fromPath;
  const raw = reader.string(key);
  if (raw === fromPath) return raw; // the path's project was checked already
  const value = checkProjectId(raw, reader.at(key));
  if (fromPath !== undefined && value !== fromPath) {
    reader.fail(
      key,
      `${JSON.stringify(value)} does not match the project in the URL path (${JSON.stringify(fromPath)})`,
    );
  }
  return value;
}
