import { ValidationError } from '../../shared/errors.js';
import { isProjectId } from '../../shared/project-id.js';
import type { FieldReader } from './field-reader.js';

export { isProjectId };

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
