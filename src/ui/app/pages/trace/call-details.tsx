import type { ReactNode } from 'react';
import { useState } from 'react';
import type { CallNode } from '../../../lib/call-tree.js';
import {
  callLabel,
  formatCount,
  formatDuration,
  formatTimestamp,
  tokenUsage,
  formatCost,
} from '../../../lib/call-format.js';
import { readCall } from '../../api/weft-api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { ChevronDown, ChevronRight } from '../../components/icons.js';
import { JsonViewer } from '../../components/json-viewer.js';
import { StatusBadge } from '../../components/status-badge.js';
import { useAsync } from '../../hooks/use-async.js';
import { FeedbackPanel } from './feedback-panel.js';

/**
 * The selected call in full: inputs, output, exception (with its stack), attributes and summary, each in a
 * folding JSON viewer, and its feedback. Loaded again when the call ends.
 */
export function CallDetails({
  projectId,
  node,
  now,
}: {
  projectId: string;
  node: CallNode | null;
  now: number;
}) {
  const light = node?.call;
  const full = useAsync(
    (signal) => (light ? readCall(projectId, light.id, signal) : Promise.resolve(null)),
    [projectId, light?.id, light?.status, light?.ended_at],
  );
  if (!node || !light) return null;
  const call = full.data && full.data.id === light.id ? full.data : null;
  const running = light.status === 'running';
  const duration =
    node.startMs === null ? null : (node.endMs ?? (running ? now : node.startMs)) - node.startMs;
  const usage = tokenUsage(light.summary);
  return (
    <div
      className="call-details"
      data-testid="call-details"
      data-call-id={light.id}
      data-status={light.status}
    >
      <div className="details-header">
        <h2>{callLabel(light)}</h2>
        <StatusBadge status={light.status} />
      </div>
      <dl className="details-meta">
        <div>
          <dt>Op</dt>
          <dd className="mono" title={light.op_name ?? ''}>
            {light.op_name ?? '–'}
          </dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd className={running ? 'live' : ''}>{formatDuration(duration)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd title={light.started_at ?? ''}>{formatTimestamp(light.started_at)}</dd>
        </div>
        {usage && (
          <div>
            <dt>Tokens</dt>
            <dd title={`${usage.prompt} prompt + ${usage.completion} completion`}>
              {formatCount(usage.total)} <span className="muted">({usage.models.join(', ')})</span>
            </dd>
          </div>
        )}
        {usage?.costUsd != null && (
          <div>
            <dt>Cost</dt>
            <dd title="Estimated from the SDK's price table" data-testid="call-cost">
              {formatCost(usage.costUsd)}
            </dd>
          </div>
        )}
        <div>
          <dt>Call ID</dt>
          <dd className="mono small">{light.id}</dd>
        </div>
      </dl>
      {full.error && <ErrorBanner error={full.error} onRetry={full.reload} />}
      {!call && !full.error && <div className="loading">Loading call…</div>}
      {call && (
        <>
          {call.exception && (
            <Section title="Exception" testId="section-exception">
              <pre className="exception" data-testid="exception">
                {call.exception}
              </pre>
            </Section>
          )}
          <Section title="Inputs" testId="section-inputs">
            <JsonViewer value={call.inputs ?? {}} testId="json-inputs" />
          </Section>
          <Section title="Output" testId="section-output">
            {running ? (
              <p className="muted live">Still running: the output shows when the call ends.</p>
            ) : (
              <JsonViewer value={call.output} testId="json-output" />
            )}
          </Section>
          <Section title="Feedback" testId="section-feedback">
            <FeedbackPanel projectId={projectId} callId={call.id} />
          </Section>
          <Section title="Attributes" testId="section-attributes" startOpen={false}>
            <JsonViewer value={call.attributes ?? {}} testId="json-attributes" />
          </Section>
          <Section title="Summary" testId="section-summary" startOpen={false}>
            <JsonViewer value={call.summary ?? {}} testId="json-summary" />
          </Section>
        </>
      )}
    </div>
  );
}

function Section({
  title,
  testId,
  startOpen = true,
  children,
}: {
  title: string;
  testId: string;
  startOpen?: boolean;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(startOpen);
  return (
    <section className="details-section" data-testid={testId}>
      <button type="button" className="section-title" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        {open ? <ChevronDown size={12} /> : <ChevronRight size={12} />}
        {title}
      </button>
      {open && <div className="section-body">{children}</div>}
    </section>
  );
}
