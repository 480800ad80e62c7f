/**
 * Cuts an oversized call record down so a server that refused it (413) may take it: replaces its
 * largest values (top-level fields or their direct children) with a visible marker naming what was
 * cut and how big it was, until the record fits `targetBytes`. Ids, times and names are never cut.
 */
const CUTTABLE = ['inputs', 'output', 'attributes', 'summary', 'exception'];

export function truncateRecord(json: string, targetBytes: number): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  // First the leaves (children of object fields, and non-object fields), biggest first; then whole fields.
  const leaves: { path: string[]; size: number }[] = [];
  const wholes: { path: string[]; size: number }[] = [];
  for (const field of CUTTABLE) {
    const value = record[field];
    if (value === undefined || value === null) continue;
    const entry = { path: [field], size: JSON.stringify(value).length };
    if (typeof value === 'object' && !Array.isArray(value)) {
      wholes.push(entry);
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        leaves.push({ path: [field, key], size: JSON.stringify(child ?? null).length });
      }
    } else leaves.push(entry);
  }
  const bySize = (a: { size: number }, b: { size: number }): number => b.size - a.size;
  const candidates = [...leaves.sort(bySize), ...wholes.sort(bySize)];
  let out = json;
  for (const c of candidates) {
    if (out.length <= targetBytes) break;
    if (c.size < 64) continue;
    const marker = `[weft: ${c.path.join('.')} truncated: ${c.size} bytes exceeded the server's request size limit]`;
    setPath(record, c.path, marker);
    out = JSON.stringify(record);
  }
  return out;
}

function setPath(record: Record<string, unknown>, path: string[], value: unknown): void {
  const [head, child] = path;
  if (child === undefined) {
    record[head!] = value;
    return;
  }
  const parent = record[head!];
  if (parent && typeof parent === 'object') (parent as Record<string, unknown>)[child] = value;
}
