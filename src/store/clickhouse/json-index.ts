import { ValidationError } from '../../shared/errors.js';

/**
 * How the ClickHouse store makes JSON values (inputs, output, attributes, summary, feedback payloads)
 * queryable by dotted path on ClickHouse 18.16, which has no JSON path functions: next to the JSON
 * text, each value is stored as parallel arrays with one entry per node (the root included):
 *
 * - `paths`: the node's dotted path from the root (`''` for the root, `a.b`, `list.0`). Object keys that
 *   no query path can name are not indexed (with their subtrees): keys that are empty, contain `.`,
 *   `"`, `\` or a control character (the query side rejects such segments), and keys made of digits
 *   only (a digit segment in a query indexes an array, as in SQLite's `$.a[0]`).
 * - `kinds`: {@link JsonKind}; `num`: the value of numbers and booleans (1/0), else 0;
 * - `off` / `len`: where the node's JSON text sits in the stored text, 1-based, in UTF-8 bytes (what
 *   ClickHouse's `substring` takes). A string's span includes its quotes (the query side unescapes it),
 *   an object's or array's span is its compact JSON text (what SQLite's `json_extract` returns).
 *
 * The text is `JSON.stringify` of the value, so a JSON string's text is canonical: two equal strings
 * have equal spans, which lets equality tests compare raw spans without unescaping.
 */

/** Defaults of the JSON index. */
export const DEFAULTS = {
  /**
   * Nodes indexed per value; further nodes (in document order) are stored in the text but not indexed,
   * so a path query does not see them. Keeps a value with a huge array (an embedding) cheap to store.
   */
  maxNodes: 5_000,
};

/** Node kinds; 0 also stands for "no such path" (ClickHouse's `arr[0]` is the type's default). */
export const JsonKind = { null: 0, number: 1, string: 2, container: 3, boolean: 4 } as const;

export interface JsonIndex {
  /** `JSON.stringify` of the value; null for null / undefined. */
  text: string | null;
  paths: string[];
  kinds: number[];
  num: number[];
  off: number[];
  len: number[];
}

const EMPTY: JsonIndex = { text: null, paths: [], kinds: [], num: [], off: [], len: [] };

/** A key that a query path segment can name (see the module comment). */
function indexableKey(key: string): boolean {
  if (key === '' || /^\d+$/.test(key)) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x20 || c === 0x2e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** Indexes `value`; throws a ValidationError at `where` when it is not JSON-serialisable. */
export function indexJson(value: unknown, where: string, maxNodes = DEFAULTS.maxNodes): JsonIndex {
  if (value === undefined || value === null) return EMPTY;
  let stringified: string | undefined;
  try {
    stringified = JSON.stringify(value);
  } catch (err) {
    throw new ValidationError(where, `not JSON-serialisable: ${(err as Error).message}`);
  }
  if (stringified === undefined || stringified === 'null') return EMPTY;
  const normal = JSON.parse(stringified) as unknown;
  const index: JsonIndex = { text: '', paths: [], kinds: [], num: [], off: [], len: [] };
  let out = '';
  const visit = (node: unknown, path: string | undefined): void => {
    const start = out.length;
    let slot = -1;
    if (path !== undefined && index.paths.length < maxNodes) {
      slot = index.paths.length;
      index.paths.push(path);
      index.kinds.push(0);
      index.num.push(0);
      index.off.push(start);
      index.len.push(0);
    }
    let kind: number;
    if (node === null) {
      out += 'null';
      kind = JsonKind.null;
    } else if (typeof node === 'string') {
      out += JSON.stringify(node);
      kind = JsonKind.string;
    } else if (typeof node === 'number') {
      out += JSON.stringify(node);
      kind = JsonKind.number;
      if (slot >= 0) index.num[slot] = node;
    } else if (typeof node === 'boolean') {
      out += node ? 'true' : 'false';
      kind = JsonKind.boolean;
      if (slot >= 0) index.num[slot] = node ? 1 : 0;
    } else if (Array.isArray(node)) {
      kind = JsonKind.container;
      out += '[';
      node.forEach((item, i) => {
        if (i > 0) out += ',';
        visit(item, path === undefined ? undefined : path === '' ? String(i) : `${path}.${i}`);
      });
      out += ']';
    } else {
      kind = JsonKind.container;
      out += '{';
      let first = true;
      for (const [key, item] of Object.entries(node as Record<string, unknown>)) {
        out += `${first ? '' : ','}${JSON.stringify(key)}:`;
        first = false;
        const child =
          path === undefined || !indexableKey(key) ? undefined : path === '' ? key : `${path}.${key}`;
        visit(item, child);
      }
      out += '}';
    }
    if (slot >= 0) {
      index.kinds[slot] = kind;
      index.len[slot] = out.length - start;
    }
  };
  visit(normal, '');
  index.text = out;
  toUtf8Offsets(out, index);
  return index;
}

/** Turns the UTF-16 offsets and lengths into 1-based UTF-8 byte offsets and lengths, in place. */
function toUtf8Offsets(text: string, index: JsonIndex): void {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) {
    for (let i = 0; i < index.off.length; i++) index.off[i] = (index.off[i] as number) + 1;
    return;
  }
  const bytesBefore = new Uint32Array(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    bytesBefore[i] = bytes;
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        bytesBefore[++i] = bytes;
        continue;
      }
      bytes += 3;
    } else bytes += 3;
  }
  bytesBefore[text.length] = bytes;
  for (let i = 0; i < index.off.length; i++) {
    const from = index.off[i] as number;
    const to = from + (index.len[i] as number);
    index.off[i] = (bytesBefore[from] as number) + 1;
    index.len[i] = (bytesBefore[to] as number) - (bytesBefore[from] as number);
  }
}
