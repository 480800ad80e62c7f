import type { CallStatus } from '../../../shared/call-types.js';

const LABELS: Record<CallStatus, string> = {
  success: 'Success',
  error: 'Error',
  running: 'Running',
  missing_start: 'Partial',
};

/** A coloured dot (and label) for a call's status; running calls pulse. */
export function StatusBadge({ status, compact = false }: { status: CallStatus; compact?: boolean }) {
  return (
    <span className={`status status-${status}`} title={LABELS[status]} data-status={status}>
      <span className="status-dot" />
      {!compact && <span className="status-label">{LABELS[status]}</span>}
    </span>
  );
}
