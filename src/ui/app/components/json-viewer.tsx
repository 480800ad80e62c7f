import { useState } from 'react';
import { ChevronDown, ChevronRight, CopyIcon } from './icons.js';

/** Defaults of {@link JsonViewer}. */
export const DEFAULTS = {
  /** Objects and arrays up to this depth start open. @default 2 */
  openDepth: 2,
  /** Objects and arrays with more entries than this start folded, whatever their depth. @default 25 */
  foldEntries: 25,
  /** Entries of one object or array shown before a "show more" button. @default 100 */
  pageEntries: 100,
  /** Characters of a string shown before a "show all" button. @default 400 */
  stringChars: 400,
};

/** A foldable JSON tree with a copy button: large objects, long arrays and long strings start folded. */
export function JsonViewer({ value, testId }: { value: unknown; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(JSON.stringify(value, null, 2)).then(() => setCopied(true));
  };
  return (
    <div className="json-viewer" data-testid={testId}>
      <button type="button" className="json-copy" onClick={copy} title="Copy as JSON">
        <CopyIcon size={12} /> {copied ? 'Copied' : 'Copy'}
      </button>
      {isContainer(value) ? (
        <Entries value={value} depth={0} />
      ) : (
        <div className="json-row">
          <Scalar value={value} />
        </div>
      )}
    </div>
  );
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return value !== null && typeof value === 'object';
}

function entriesOf(value: Container): [string, unknown][] {
  return Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
}

function Entries({ value, depth }: { value: Container; depth: number }) {
  const entries = entriesOf(value);
  const [shown, setShown] = useState(DEFAULTS.pageEntries);
  if (entries.length === 0)
    return <div className="json-row json-empty">{Array.isArray(value) ? '[]' : '{}'}</div>;
  return (
    <div className="json-entries">
      {entries.slice(0, shown).map(([key, v]) => (
        <Node key={key} name={key} value={v} depth={depth} isIndex={Array.isArray(value)} />
      ))}
      {entries.length > shown && (
        <button type="button" className="json-more" onClick={() => setShown((n) => n + DEFAULTS.pageEntries)}>
          show {Math.min(DEFAULTS.pageEntries, entries.length - shown)} more of {entries.length - shown}{' '}
          hidden
        </button>
      )}
    </div>
  );
}

function Node({
  name,
  value,
  depth,
  isIndex,
}: {
  name: string;
  value: unknown;
  depth: number;
  isIndex: boolean;
}) {
  const container = isContainer(value);
  const size = container ? entriesOf(value).length : 0;
  const [open, setOpen] = useState(container && depth < DEFAULTS.openDepth && size <= DEFAULTS.foldEntries);
  const key = <span className={isIndex ? 'json-index' : 'json-key'}>{name}</span>;
  if (!container) {
    return (
      <div className="json-row">
        <span className="json-toggle-space" />
        {key}
        <span className="json-colon">: </span>
        <Scalar value={value} />
      </div>
    );
  }
  const summary = Array.isArray(value)
    ? `[${size} item${size === 1 ? '' : 's'}]`
    : `{${size} key${size === 1 ? '' : 's'}}`;
  return (
    <div className="json-node">
      <div
        className="json-row json-row-toggle"
        onClick={() => setOpen((o) => !o)}
        role="button"
        aria-expanded={open}
      >
        <span className="json-toggle">{open ? <ChevronDown size={12} /> : <ChevronRight size={12} />}</span>
        {key}
        <span className="json-colon">: </span>
        <span className="json-summary">{summary}</span>
      </div>
      {open && (
        <div className="json-children">
          <Entries value={value} depth={depth + 1} />
        </div>
      )}
    </div>
  );
}

function Scalar({ value }: { value: unknown }) {
  if (typeof value === 'string') return <LongString value={value} />;
  if (typeof value === 'number') return <span className="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json-bool">{String(value)}</span>;
  if (value === null || value === undefined) return <span className="json-null">null</span>;
  return <span>{String(value)}</span>;
}

function LongString({ value }: { value: string }) {
  const [all, setAll] = useState(false);
  const long = value.length > DEFAULTS.stringChars;
  const text = long && !all ? value.slice(0, DEFAULTS.stringChars) : value;
  return (
    <span className="json-string">
      "{text}
      {long && !all ? '…' : ''}"
      {long && (
        <button type="button" className="json-more inline" onClick={() => setAll((a) => !a)}>
          {all ? 'show less' : `show all ${value.length.toLocaleString('en-US')} chars`}
        </button>
      )}
    </span>
  );
}
