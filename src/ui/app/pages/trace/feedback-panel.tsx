import { useState } from 'react';
import type { FormEvent } from 'react';
import { formatTimestamp } from '../../../lib/call-format.js';
import { createFeedback, queryFeedback } from '../../api/weft-api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { NoteIcon, ThumbsDown, ThumbsUp } from '../../components/icons.js';
import { useAsync } from '../../hooks/use-async.js';

/** Feedback types, as Weave names them (so Weave tools read weft's feedback and the other way round). */
export const REACTION_TYPE = 'wandb.reaction.1';
export const NOTE_TYPE = 'wandb.note.1';

const REACTIONS = [
  { emoji: '👍', label: 'Thumbs up', Icon: ThumbsUp },
  { emoji: '👎', label: 'Thumbs down', Icon: ThumbsDown },
];

/** Reactions and notes on a call, stored through `/feedback/create` and read with `/feedback/query`. */
export function FeedbackPanel({ projectId, callId }: { projectId: string; callId: string }) {
  const feedback = useAsync((signal) => queryFeedback(projectId, callId, signal), [projectId, callId]);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const add = async (type: string, payload: Record<string, unknown>) => {
    setSaving(true);
    setError(null);
    try {
      await createFeedback(projectId, callId, type, payload);
      feedback.reload();
      return true;
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      return false;
    } finally {
      setSaving(false);
    }
  };
  const submitNote = async (e: FormEvent) => {
    e.preventDefault();
    if (note.trim() === '') return;
    if (await add(NOTE_TYPE, { note: note.trim() })) setNote('');
  };

  const items = feedback.data ?? [];
  const counts = new Map<string, number>();
  for (const f of items) {
    const emoji = f.feedback_type === REACTION_TYPE ? f.payload.emoji : undefined;
    if (typeof emoji === 'string') counts.set(emoji, (counts.get(emoji) ?? 0) + 1);
  }
  const notes = items.filter((f) => f.feedback_type === NOTE_TYPE);
  const others = items.filter((f) => f.feedback_type !== NOTE_TYPE && f.feedback_type !== REACTION_TYPE);

  return (
    <div className="feedback" data-testid="feedback">
      <div className="reactions">
        {REACTIONS.map(({ emoji, label, Icon }) => (
          <button
            key={emoji}
            type="button"
            className={`btn reaction${counts.get(emoji) ? ' reacted' : ''}`}
            title={label}
            aria-label={label}
            disabled={saving}
            onClick={() => void add(REACTION_TYPE, { emoji })}
          >
            <Icon /> <span data-testid={`reaction-count-${label}`}>{counts.get(emoji) ?? 0}</span>
          </button>
        ))}
      </div>
      <form className="note-form" onSubmit={(e) => void submitNote(e)}>
        <textarea
          className="input"
          rows={2}
          placeholder="Add a note about this call…"
          aria-label="Note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void submitNote(e);
          }}
        />
        <button type="submit" className="btn btn-primary btn-small" disabled={saving || note.trim() === ''}>
          Add note
        </button>
      </form>
      {error && <ErrorBanner error={error} />}
      {feedback.error && <ErrorBanner error={feedback.error} onRetry={feedback.reload} />}
      {notes.length + others.length > 0 && (
        <ul className="notes" data-testid="notes">
          {notes.map((f) => (
            <li key={f.id}>
              <NoteIcon size={12} />
              <span className="note-text">{String(f.payload.note ?? '')}</span>
              <span className="muted small">{formatTimestamp(f.created_at)}</span>
            </li>
          ))}
          {others.map((f) => (
            <li key={f.id}>
              <span className="mono small">{f.feedback_type}</span>
              <span className="note-text mono small">{JSON.stringify(f.payload)}</span>
              <span className="muted small">{formatTimestamp(f.created_at)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
