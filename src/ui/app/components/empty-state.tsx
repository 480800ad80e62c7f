import { useState } from 'react';
import type { ReactNode } from 'react';
import { sdkSnippet } from '../../lib/sdk-snippet.js';
import { CopyIcon } from './icons.js';

/** An empty state: what is missing, and the three lines that send a first trace to this server. */
export function EmptyState({
  title,
  projectId,
  children,
}: {
  title: string;
  projectId: string;
  children?: ReactNode;
}) {
  const code = sdkSnippet(window.location.origin, projectId);
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(code).then(() => setCopied(true));
  };
  return (
    <div className="empty-state" data-testid="empty-state">
      <h2>{title}</h2>
      <p className="muted">{children ?? 'Send your first trace with the weft SDK (npm install weft):'}</p>
      <div className="snippet">
        <button type="button" className="snippet-copy" onClick={copy} title="Copy">
          <CopyIcon /> {copied ? 'Copied' : 'Copy'}
        </button>
        <pre>
          <code>{code}</code>
        </pre>
      </div>
      <p className="muted small">
        Traces appear here as soon as the SDK sends them; this page refreshes on its own.
      </p>
    </div>
  );
}
