import { ValidationError } from '../../shared/errors.js';
import type { CallPart } from '../../store/trace-store.js';

/** Store-side names of a part's fields (`parts[3].startedAtUs`) -> the field a client sent. */
const PART_FIELDS: Record<string, string> = { startedAtUs: 'started_at', endedAtUs: 'ended_at' };

/**
 * `store.ingest(parts)`, with a ValidationError the store raises about `parts[i]...` re-named to the
 * wire field of item `i` (`itemPath(i)`: `batch[3]`, `batch[3].req.end`, `start`), so that a 400 from
 * call ingest always names a path in the request's JSON. The validators in ../validation refuse
 * everything the stores refuse, so this is a backstop: it keeps the guarantee if a store gains a check.
 */
export async function ingestAt(
  store: { ingest(parts: CallPart[]): Promise<void> },
  parts: CallPart[],
  itemPath: (i: number) => string,
): Promise<void> {
  try {
    await store.ingest(parts);
  } catch (err) {
    throw err instanceof ValidationError ? renamed(err, itemPath) : err;
  }
}

function renamed(err: ValidationError, itemPath: (i: number) => string): ValidationError {
  const m = /^parts\[(\d+)\](?:\.call)?(?:\.(\w+))?$/.exec(err.path);
  if (!m) return err;
  const item = itemPath(Number(m[1]));
  const field = m[2] === undefined ? undefined : (PART_FIELDS[m[2]] ?? m[2]);
  const path = field === undefined || field === 'kind' ? item : `${item}.${field}`;
  return new ValidationError(path, err.message.slice(err.path.length + 2));
}
