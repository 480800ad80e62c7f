import { CALL_FIELDS, type CallFieldKind } from '../shared/call-field-table.js';
import type { CallRecord } from '../shared/call-types.js';

/** How a selected value becomes a record value, per field kind. */
export type KindReaders = Readonly<Record<CallFieldKind, (value: unknown) => unknown>>;

/**
 * A function that builds a {@link CallRecord} from a store's result row, generated from the field
 * table: one object literal with the record fields in table order, each value read from the row (by
 * position for an array row, by name for an object row) through the reader of its kind. A loop over
 * the table storing keys one by one cost ~40 % more per row (bench/server-query.ts, rows ->
 * CallRecords): the literal gets one object shape and no transitions. Field names come from the
 * constant table, quoted with JSON.stringify, never from data.
 */
export function recordBuilder<Row>(
  rowKind: 'array' | 'object',
  readers: KindReaders,
): (row: Row) => CallRecord {
  const records = CALL_FIELDS.filter((f) => f.record);
  const props = records.map((f, i) => {
    const key = JSON.stringify(f.name);
    return `${key}: k.${f.kind}(row[${rowKind === 'array' ? i : key}])`;
  });
  const build = new Function('row', 'k', `return {\n  ${props.join(',\n  ')}\n};`) as (
    row: Row,
    k: KindReaders,
  ) => CallRecord;
  return (row) => build(row, readers);
}
