import { checkProjectId } from '../../shared/project-id.js';
import type { FieldReader } from './field-reader.js';

// The rule itself lives in src/shared (the SDK checks ids with it too); re-exported for the routes.
export { checkProjectId, isProjectId } from '../../shared/project-id.js';

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
