/** Small statistics and table helpers shared by the benchmarks. */
import { execFileSync } from 'node:child_process';

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

/** Linear-interpolated percentile (p in 0..100) of `xs`; NaN for an empty list. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

/** A number with `digits` decimals, or `-` when it is not finite. */
export function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

/** Integer with thousands separators. */
export function int(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-';
}

/** Bytes as B / KiB / MiB. */
export function bytes(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const abs = Math.abs(n);
  if (abs >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (abs >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}

/** Prints a Markdown table (so it can be pasted into bench/RESULTS.md as is). */
export function printTable(
  title: string,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  console.log(`\n### ${title}\n`);
  console.log(line(headers));
  console.log(rule);
  for (const r of rows) console.log(line(r));
  console.log('');
}

/** The command line and environment a result came from, printed at the top of each bench. */
export function printHeader(name: string, notes: readonly string[] = []): void {
  const gc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  console.log(`# ${name}`);
  console.log(
    `date ${new Date().toISOString()} | node ${process.version} | ${process.platform}/${process.arch} | ` +
      `gc exposed: ${gc ? 'yes' : 'no'} | argv: ${process.argv.slice(2).join(' ') || '(none)'}`,
  );
  console.log(`source: ${sourceState()}`);
  for (const n of notes) console.log(n);
}

/**
 * The git commit of the tree and how many paths under src/ differ from it (results depend on both);
 * `WEFT_BENCH_SOURCE` overrides it (e.g. for a build of an exported commit).
 */
function sourceState(): string {
  if (process.env.WEFT_BENCH_SOURCE) return process.env.WEFT_BENCH_SOURCE;
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const head = git('rev-parse', '--short', 'HEAD').trim();
    const dirty = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length;
    return `commit ${head}${dirty ? ` + ${dirty} changed/new paths under src/` : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
