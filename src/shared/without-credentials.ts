/**
 * `url` with nothing secret in it, for writing to disk or logs: no user name or password (an API key
 * given as `http://api:KEY@host`), no query and no fragment (where tokens end up). A string that is not
 * a URL comes back as `'?'`, since it cannot be checked.
 */
export function withoutCredentials(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '?';
  }
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}
