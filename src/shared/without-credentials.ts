/**
 * `url` with nothing secret in it, for writing to disk or logs: no user name or password (an API key
 * given as `http://api:KEY@host`), no query and no fragment (where tokens end up). A string that is not
 * a URL comes back as `'?'`, since it cannot be checked. A URL without any of these comes back as it is.
 */
export function withoutCredentials(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '?';
  }
  if (parsed.username === '' && parsed.password === '' && !/[?#]/.test(url)) return url;
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  // `href` spells an empty path `/`; keep the caller's spelling (`http://host:1` stays without it).
  const hadPath = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*\//i.test(url);
  return parsed.pathname === '/' && !hadPath ? parsed.href.slice(0, -1) : parsed.href;
}
