/**
 * Limits on the JSON values weft stores and queries (call inputs, output, attributes, summary,
 * feedback payloads). The server enforces them; the SDK's serializer stays below them, so that what
 * the SDK sends is never refused.
 */
export const JSON_LIMITS = {
  /**
   * Most levels of nested objects and arrays in one stored value, the value itself counting one
   * (`{}` is 1, `{ "a": [1] }` is 2). SQLite's JSON functions fail on values nested deeper than 1 000
   * ("malformed JSON"), so one such value would break every query that reads its column; the server
   * answers a deeper value with a 400. The SDK's `MAX_SERIALIZE_DEPTH` is below it.
   */
  maxDepth: 500,
} as const;
