import { useState, type MouseEvent } from 'react';
import { isTruncatedValue } from '../../../shared/api-types.js';
import type { CallRecord } from '../../../shared/call-types.js';
import { formatBytes, peek } from '../../lib/call-format.js';
import { readCall } from '../api/weft-api.js';

type Field = 'inputs' | 'output';

/**
 * A one-line peek of a call's inputs or output in the calls table. A value the server truncated (too
 * big for a page, see `TruncatedValue`) shows its first characters, its size and a "show full" button
 * that reads the whole call (`/call/read`) and shows the peek of the full value.
 */
export function ValuePeek({ call, field, projectId }: { call: CallRecord; field: Field; projectId: string }) {
  const value = call[field];
  const [full, setFull] = useState<{ value: unknown } | { error: string } | 'loading' | undefined>();
  if (!isTruncatedValue(value)) return <span className="peek">{peek(value)}</span>;
  if (full !== undefined && full !== 'loading' && 'value' in full) {
    return <span className="peek">{peek(full.value)}</span>;
  }
  const load = (e: MouseEvent) => {
    e.stopPropagation(); // the row's click opens the trace
    setFull('loading');
    readCall(projectId, call.id).then(
      (read) => setFull({ value: read?.[field] ?? null }),
      (err: unknown) => setFull({ error: String(err) }),
    );
  };
  return (
    <span className="peek peek-truncated" data-testid={`truncated-${field}`}>
      <button
        type="button"
        className="show-full"
        onClick={load}
        disabled={full === 'loading'}
        title={
          full !== undefined && full !== 'loading' ? full.error : 'Too big for the page: read the whole call'
        }
      >
        {full === 'loading' ? 'loading…' : `truncated, ${formatBytes(value.bytes)} — show full`}
      </button>
      <span className="peek-preview">{peek(value.preview, 60)}</span>
    </span>
  );
}
