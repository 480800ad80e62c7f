import { useState } from 'react';
import type { FormEvent } from 'react';
import { getApiKey, setApiKey } from '../api/api-key-store.js';

/**
 * Asks for an API key (for servers that have keys): stored in this browser's localStorage and sent as
 * `Authorization: Bearer` with every request.
 */
export function ApiKeyDialog({ reason, onClose }: { reason: string | null; onClose: () => void }) {
  const [key, setKey] = useState(getApiKey() ?? '');
  const save = (e: FormEvent) => {
    e.preventDefault();
    setApiKey(key);
    onClose();
  };
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <form className="dialog" onClick={(e) => e.stopPropagation()} onSubmit={save} aria-label="API key">
        <h2>API key</h2>
        {reason && <p className="dialog-reason">{reason}</p>}
        <p className="muted">
          This server requires an API key. Create one with{' '}
          <code>weft keys create --project entity/project</code> and paste it here. It is kept in this browser
          only.
        </p>
        <input
          type="password"
          className="input wide"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          placeholder="weft_…"
          autoFocus
          aria-label="API key"
        />
        <div className="dialog-actions">
          {getApiKey() && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setApiKey(null);
                onClose();
              }}
            >
              Forget key
            </button>
          )}
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary">
            Save
          </button>
        </div>
      </form>
    </div>
  );
}
