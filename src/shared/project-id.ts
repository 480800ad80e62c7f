/** One segment of `entity/project`: no slash, whitespace, or URL-special characters; at most 128 chars. */
const SEGMENT = /^[^/\\\s#?%:]{1,128}$/;

/**
 * True for a well-formed `entity/project`: the one rule for the server (every route) and the SDK
 * (`init({ project })`), so the SDK never accepts an id the server rejects. `.` and `..` are not
 * segments: a project id names spool folders and files on disk.
 */
export function isProjectId(value: string): boolean {
  const parts = value.split('/');
  return parts.length === 2 && parts.every((p) => SEGMENT.test(p) && p !== '.' && p !== '..');
}
