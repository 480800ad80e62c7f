import type { CallRecord, CallSummary } from '../../shared/call-types.js';

/** How the UI shows durations, times, token counts, op names and one-line previews of values. */

/** `850 ms`, `1.25 s`, `2m 05s`, `1h 02m`. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  if (ms < 0) return '0 ms';
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1).replace(/\.0$/, '') : Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Latency of a finished call in ms, or null. */
export function latencyMs(call: Pick<CallRecord, 'started_at' | 'ended_at'>): number | null {
  if (call.started_at === null || call.ended_at === null) return null;
  return Date.parse(call.ended_at) - Date.parse(call.started_at);
}

/** `2026-01-31 12:00:01` in the viewer's time zone. */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** `just now`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function formatAgo(iso: string | null, nowMs: number): string {
  if (iso === null) return 'never';
  const s = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

export interface TokenUsage {
  total: number;
  prompt: number;
  completion: number;
  /** Estimated cost in USD summed over the models that carry `cost_usd`; null when none does. */
  costUsd: number | null;
  models: string[];
}

/** Token usage summed over the models of `summary.usage`; null when there is none. */
export function tokenUsage(summary: CallSummary | null | undefined): TokenUsage | null {
  const usage = summary?.usage;
  if (!usage || typeof usage !== 'object') return null;
  const result: TokenUsage = { total: 0, prompt: 0, completion: 0, costUsd: null, models: [] };
  for (const [model, u] of Object.entries(usage)) {
    if (!u || typeof u !== 'object') continue;
    const prompt = num(u.prompt_tokens) || num(u.input_tokens);
    const completion = num(u.completion_tokens) || num(u.output_tokens);
    result.prompt += prompt;
    result.completion += completion;
    result.total += num(u.total_tokens) || prompt + completion;
    if (typeof u.cost_usd === 'number' && Number.isFinite(u.cost_usd)) {
      result.costUsd = (result.costUsd ?? 0) + u.cost_usd;
    }
    result.models.push(model);
  }
  return result.models.length === 0 ? null : result;
}

/** An estimated USD cost: `$0.0042`, `$0.13`, `$12.50`; `<$0.0001` for tiny non-zero amounts. */
export function formatCost(usd: number | null): string {
  if (usd === null) return '–';
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  if (usd < 1) return `$${usd.toFixed(3)}`;
  return `$${usd.toFixed(2)}`;
}

/** `1,234` / `12.3k` / `4.5M`. */
export function formatCount(n: number): string {
  if (n < 10_000) return n.toLocaleString('en-US');
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** The readable name of an op: the name inside a `weave:///e/p/op/{name}:{digest}` ref, else as is. */
export function opShortName(opName: string | null): string {
  if (opName === null) return '(unknown op)';
  const m = /^weave:\/\/\/[^/]+\/[^/]+\/op\/([^:]+)(?::.*)?$/.exec(opName);
  return m?.[1] ?? opName;
}

/** What a call row is called: its display name, else its op's short name. */
export function callLabel(call: Pick<CallRecord, 'display_name' | 'op_name'>): string {
  return call.display_name || opShortName(call.op_name);
}

/**
 * A one-line preview of a JSON value, at most `max` characters: objects as `key: value, ...` (one key
 * shows only its value), strings without quotes at the top level.
 */
export function peek(value: unknown, max = 120): string {
  const text = peekInner(value, 0, true);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function peekInner(value: unknown, depth: number, top: boolean): string {
  if (value === null || value === undefined) return top ? '' : 'null';
  if (typeof value === 'string') return top ? oneLine(value) : JSON.stringify(oneLine(value.slice(0, 200)));
  if (typeof value !== 'object') return String(value);
  if (depth > 2) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) {
    const items = value.slice(0, 5).map((v) => peekInner(v, depth + 1, false));
    return `[${items.join(', ')}${value.length > 5 ? ', …' : ''}]`;
  }
  const entries = Object.entries(value);
  if (top && entries.length === 1) return peekInner(entries[0]?.[1], depth + 1, true);
  const shown = entries.slice(0, 6).map(([k, v]) => `${k}: ${peekInner(v, depth + 1, false)}`);
  const body = `${shown.join(', ')}${entries.length > 6 ? ', …' : ''}`;
  return top ? body : `{${body}}`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** A byte count for people: `512 B`, `4.0 KiB`, `30.0 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
