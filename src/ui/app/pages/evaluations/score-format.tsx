import type { ScoreMetric } from '../../../lib/evaluation-shape.js';

/** A summary metric: fractions as percentages, means with 3 significant decimals. */
export function formatMetric(metric: Pick<ScoreMetric, 'kind' | 'value'>): string {
  return metric.kind === 'fraction' ? `${(metric.value * 100).toFixed(1)}%` : formatNumber(metric.value);
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return Math.abs(n) >= 100 ? n.toFixed(1) : n.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
}

/** One example's score value: a check or cross for booleans, numbers rounded, anything else as text. */
export function ScoreValue({ value }: { value: unknown }) {
  if (value === undefined) return <span className="muted">–</span>;
  if (typeof value === 'boolean') {
    return <span className={value ? 'score-true' : 'score-false'}>{value ? '✓ true' : '✗ false'}</span>;
  }
  if (typeof value === 'number') return <span className="score-number">{formatNumber(value)}</span>;
  if (value === null) return <span className="muted">null</span>;
  return <span className="score-other">{typeof value === 'string' ? value : JSON.stringify(value)}</span>;
}

/** The change from a to b, coloured: green when it went up, red when down. */
export function Delta({ a, b, percent = false }: { a: number | null; b: number | null; percent?: boolean }) {
  if (a === null || b === null) return <span className="muted">–</span>;
  const d = b - a;
  if (Math.abs(d) < 1e-12) return <span className="delta delta-zero">±0</span>;
  const text = percent ? `${(d * 100).toFixed(1)} pts` : formatNumber(d);
  return <span className={`delta ${d > 0 ? 'delta-up' : 'delta-down'}`}>{d > 0 ? `+${text}` : text}</span>;
}
