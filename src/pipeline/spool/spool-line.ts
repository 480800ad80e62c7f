import type { ItemKind } from '../send-queue.js';

/**
 * One spooled item per line: a kind letter, the item's sequence number in the process that wrote it,
 * a tab, then the record's JSON (which JSON.stringify never splits across lines). Example:
 * `c1234\t{"project_id":...}\n`
 */
const KIND_TO_CHAR: Record<ItemKind, string> = { complete: 'c', start: 's', end: 'e' };
const CHAR_TO_KIND: Record<string, ItemKind> = { c: 'complete', s: 'start', e: 'end' };

export interface SpooledItem {
  kind: ItemKind;
  seq: number;
  json: string;
}

export function encodeLine(kind: ItemKind, seq: number, json: string): string {
  return `${KIND_TO_CHAR[kind]}${seq}\t${json}\n`;
}

/** Parses a line without its newline; undefined for a torn or foreign line. */
export function decodeLine(line: string): SpooledItem | undefined {
  const kind = CHAR_TO_KIND[line[0] ?? ''];
  const tab = line.indexOf('\t');
  if (!kind || tab < 2) return undefined;
  const seq = Number(line.slice(1, tab));
  const json = line.slice(tab + 1);
  if (!Number.isSafeInteger(seq) || json[0] !== '{' || json[json.length - 1] !== '}') return undefined;
  return { kind, seq, json };
}
