import type { SortBy } from '../../store/trace-store.js';
import { ValidationError } from '../../shared/errors.js';
import { FieldReader } from './field-reader.js';

/** Reads an optional `sort_by: [{ field, direction }]`; absent or null gives undefined. */
export function parseSortBy(r: FieldReader, key = 'sort_by'): SortBy[] | undefined {
  if (!r.has(key)) return undefined;
  return r.array(key).map((item, i) => {
    const s = FieldReader.of(item, `${r.at(key)}[${i}]`);
    const field = s.string('field');
    const direction = s.any('direction') ?? 'asc';
    if (direction === 'asc' || direction === 'desc') return { field, direction };
    throw new ValidationError(s.at('direction'), 'expected "asc" or "desc"');
  });
}
