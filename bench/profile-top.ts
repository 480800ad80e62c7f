/**
 * Prints the top frames of a V8 CPU profile (from `node --cpu-prof`), by self time and by total time.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/sdk-overhead.js --calls 50000 --rounds 2
 *   node dist/bench/profile-top.js /tmp/prof/<file>.cpuprofile [--top 25] [--filter src/]
 *
 * `--filter` keeps only frames whose script URL contains the text (the totals still count everything).
 */
import { readFileSync } from 'node:fs';
import { numberArg, stringArg } from './lib/cli-args.js';
import { fmt, printTable } from './lib/stats.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file || file.startsWith('--')) {
  console.error('usage: node dist/bench/profile-top.js <file.cpuprofile> [--top 25] [--filter text]');
  process.exit(2);
}
const top = numberArg('top', 25);
const filter = stringArg('filter', '');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

const label = (n: ProfileNode): string => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^file:\/\/.*?\/(dist[^/]*\/)/, '$1')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};

const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  all += dt;
  const node = byId.get(id);
  if (!node) return;
  const key = label(node);
  self.set(key, (self.get(key) ?? 0) + dt);
  // Inclusive time: every distinct frame on the stack once.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parentOf.get(cur)) {
    const n = byId.get(cur);
    if (!n) break;
    const k = label(n);
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + dt);
  }
});

const rows = (m: Map<string, number>) =>
  [...m.entries()]
    .filter(([k]) => !filter || k.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => [k, fmt(us / 1000, 1), `${fmt((100 * us) / all, 1)} %`]);

console.log(`profile ${file}: ${fmt(all / 1000, 0)} ms sampled`);
printTable(
  `Top ${top} by self time${filter ? ` (frames matching "${filter}")` : ''}`,
  ['frame', 'ms', 'share'],
  rows(self),
);
printTable(
  `Top ${top} by total time${filter ? ` (frames matching "${filter}")` : ''}`,
  ['frame', 'ms', 'share'],
  rows(total),
);
