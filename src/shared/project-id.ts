import { ValidationError } from './errors.js';

/**
 * The one rule for project ids, shared by the server (paths and bodies) and the SDK (`init()`), so the
 * SDK never accepts an id the server rejects.
 */

/** One segment of `entity/project`: no slash, whitespace, or URL-special characters; at most 128 chars. */
const SEGMENT = /^[^/\\\s#?%:]{1,128}$/;

/**
 * True for a well-formed `entity/project`. A segment may not be `.` or `..`: a URL path cannot carry
 * it (it is resolved away) and a folder named after it would leave its parent (the SDK's spool).
 */
export function isProjectId(value: string): boolean {
  const parts = value.split('/');
  return parts.length === 2 && parts.every((p) => SEGMENT.test(p) && p !== '.' && p !== '..');
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
