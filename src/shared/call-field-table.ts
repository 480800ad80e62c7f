/**
 * The fields of a call, declared once. The server's write validation, both stores' columns, inserts,
 * row mapping and query field lookup, and the record field order are derived from this table.
 *
 * Adding a field is one entry here (plus a column in each store's migrations): validation reads it
 * from the half that carries it, the stores write and return it, and queries can filter and sort on it.
 */

/** How queries compare a field and how the stores keep it. */
export type CallFieldKind =
  /** A string (SQL text). */
  | 'text'
  /** A time: ISO-8601 on the wire, integer microseconds in the stores. */
  | 'time'
  /** An integer. */
  | 'number'
  /** A JSON value, stored as its text; dotted query paths read into it. */
  | 'json';

/**
 * How the write validation reads a field (see src/server/validation/call-parts.ts):
 * `id` a required string; `parentId` a nullable string where `''` means none; `nullableString`
 * absent or null or a string; `time` a required ISO-8601 time; `integer` an optional integer;
 * `object` an optional JSON object (`{}` when absent); `summary` the call summary (usage checked);
 * `any` any JSON value (kept absent when absent).
 */
export type CallFieldWire =
  'id' | 'parentId' | 'nullableString' | 'time' | 'integer' | 'object' | 'summary' | 'any';

/**
 * Which write carries a field: `key` every write (project_id, id); `start` / `end` that half;
 * `derived` no write: the stores compute it when reading (status, latency).
 */
export type CallFieldHalf = 'key' | 'start' | 'end' | 'derived';

export interface CallFieldSpec {
  readonly name: string;
  readonly half: CallFieldHalf;
  readonly kind: CallFieldKind;
  /** How a write's value is validated; absent for the key fields (read first) and derived ones. */
  readonly wire?: CallFieldWire;
  /** Returned in a `CallRecord`, in table order. */
  readonly record: boolean;
  /** The `calls/query` list filter keeping calls whose field is in a list (Weave's filter name). */
  readonly listFilter?: string;
}

/** The call fields, in `CallRecord` order (record fields first). */
export const CALL_FIELDS = [
  { name: 'project_id', half: 'key', kind: 'text', record: true },
  { name: 'id', half: 'key', kind: 'text', record: true, listFilter: 'call_ids' },
  { name: 'trace_id', half: 'start', kind: 'text', wire: 'id', record: true, listFilter: 'trace_ids' },
  {
    name: 'parent_id',
    half: 'start',
    kind: 'text',
    wire: 'parentId',
    record: true,
    listFilter: 'parent_ids',
  },
  { name: 'op_name', half: 'start', kind: 'text', wire: 'id', record: true, listFilter: 'op_names' },
  { name: 'display_name', half: 'start', kind: 'text', wire: 'nullableString', record: true },
  {
    name: 'thread_id',
    half: 'start',
    kind: 'text',
    wire: 'nullableString',
    record: true,
    listFilter: 'thread_ids',
  },
  {
    name: 'turn_id',
    half: 'start',
    kind: 'text',
    wire: 'nullableString',
    record: true,
    listFilter: 'turn_ids',
  },
  { name: 'started_at', half: 'start', kind: 'time', wire: 'time', record: true },
  { name: 'ended_at', half: 'end', kind: 'time', wire: 'time', record: true },
  { name: 'attributes', half: 'start', kind: 'json', wire: 'object', record: true },
  { name: 'inputs', half: 'start', kind: 'json', wire: 'object', record: true },
  { name: 'output', half: 'end', kind: 'json', wire: 'any', record: true },
  { name: 'exception', half: 'end', kind: 'text', wire: 'nullableString', record: true },
  { name: 'summary', half: 'end', kind: 'json', wire: 'summary', record: true },
  { name: 'wb_user_id', half: 'start', kind: 'text', wire: 'nullableString', record: true },
  { name: 'wb_run_id', half: 'start', kind: 'text', wire: 'nullableString', record: true },
  { name: 'status', half: 'derived', kind: 'text', record: true },
  { name: 'wb_run_step', half: 'start', kind: 'number', wire: 'integer', record: false },
  { name: 'wb_run_step_end', half: 'end', kind: 'number', wire: 'integer', record: false },
  { name: 'latency_ms', half: 'derived', kind: 'number', record: false },
] as const satisfies readonly CallFieldSpec[];

type Field = (typeof CALL_FIELDS)[number];

/** Every field name queries know (`$getField`, `sort_by`, `columns`). */
export type CallFieldName = Field['name'];
/** The fields of a `CallRecord`. */
export type RecordFieldName = Extract<Field, { record: true }>['name'];
/** The fields a write carries in its start or end half (what a store keeps per half). */
export type HalfFieldName = Extract<Field, { half: 'start' | 'end' }>['name'];
export type StartFieldName = Extract<Field, { half: 'start' }>['name'];
export type EndFieldName = Extract<Field, { half: 'end' }>['name'];
/** The `calls/query` list filters (`op_names`, `trace_ids`, ...). */
export type ListFilterName = Extract<Field, { listFilter: string }>['listFilter'];
export type JsonFieldName = Extract<Field, { kind: 'json' }>['name'];

const specs: readonly CallFieldSpec[] = CALL_FIELDS;

/** The `CallRecord` fields, in output order. */
export const RECORD_FIELDS = specs.filter((f) => f.record).map((f) => f.name) as readonly RecordFieldName[];

/** The fields of the start half and of the end half, as written (table order). */
export const START_FIELDS = specs.filter((f) => f.half === 'start') as readonly (CallFieldSpec & {
  name: StartFieldName;
  wire: CallFieldWire;
})[];
export const END_FIELDS = specs.filter((f) => f.half === 'end') as readonly (CallFieldSpec & {
  name: EndFieldName;
  wire: CallFieldWire;
})[];

/** Field specs by name (own properties only: a query naming `constructor` finds nothing). */
export const FIELD_BY_NAME: ReadonlyMap<string, CallFieldSpec> = new Map(specs.map((f) => [f.name, f]));

/** Query list filters (`op_names`, ...) and the field each keeps calls by. */
export const LIST_FILTERS: ReadonlyMap<ListFilterName, CallFieldName> = new Map(
  specs.flatMap((f) =>
    f.listFilter ? [[f.listFilter as ListFilterName, f.name as CallFieldName] as const] : [],
  ),
);

/** The names of the JSON fields (dotted paths read into them). */
export const JSON_FIELDS = specs
  .filter((f) => f.kind === 'json')
  .map((f) => f.name) as readonly JsonFieldName[];
