/**
 * The head of a large JSON value, stored next to it (`<field>_head`, migration 6) so that the calls
 * page's truncation marker (`TruncatedValue.preview`, at most `previewChars` = 1 000 characters) is cut
 * from the head and never loads the value itself: `substr` of a 30 MiB text reads all of it.
 */

/** Values longer than this many characters get a head; shorter ones are cheap to cut from. */
export const HEAD_OVER = 65_536;

/** Characters (code points, as SQLite's `substr` counts them) kept in a head. */
export const HEAD_CHARS = 1000;

/** The head of a value's JSON text, or null when the text is short enough to be cut from directly. */
export function headOf(text: string | null): string | null {
  if (text === null || text.length <= HEAD_OVER) return null;
  // 2 000 UTF-16 units hold at least 1 000 code points; count them off without splitting a pair.
  let units = 0;
  let chars = 0;
  while (chars < HEAD_CHARS) {
    const code = text.charCodeAt(units);
    units += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
    chars++;
  }
  return text.slice(0, units);
}
