/**
 * Whether a failed HTTP request may succeed if sent again: network errors (status 0), 408, 425, 429
 * and 5xx. One rule for every weft HTTP client: the SDK's write pipeline and read API, and the web UI.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 425 || status === 429 || status >= 500;
}
