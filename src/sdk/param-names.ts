/**
 * Reads a function's parameter names from its source, once per op, so inputs can be keyed by name.
 * Destructured parameters and anything unreadable fall back to `arg0`, `arg1`, ...
 */
export interface ParamNames {
  names: string[];
  /** The last parameter is a rest parameter: its arguments are recorded as one array. */
  rest: boolean;
}

export function paramNames(fn: (...args: never[]) => unknown): ParamNames {
  let src: string;
  try {
    src = Function.prototype.toString.call(fn);
  } catch {
    return { names: [], rest: false };
  }
  const list = paramList(src);
  if (list === undefined) return { names: [], rest: false };
  const parts = splitTopLevel(list);
  const names = parts.map((p, i) => {
    const m = /^\s*(?:\.\.\.)?\s*([A-Za-z_$][\w$]*)/.exec(p);
    return m?.[1] ?? `arg${i}`;
  });
  const last = parts[parts.length - 1];
  return { names, rest: last !== undefined && /^\s*\.\.\./.test(last) };
}

function paramList(src: string): string | undefined {
  const arrow = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (arrow) return arrow[1];
  const open = src.indexOf('(');
  if (open < 0) return undefined;
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return src.slice(open + 1, i);
    } else if (c === '"' || c === "'" || c === '`') {
      i = skipString(src, i);
    }
  }
  return undefined;
}

function skipString(src: string, start: number): number {
  const quote = src[start];
  for (let i = start + 1; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === quote) return i;
  }
  return src.length;
}

function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '"' || c === "'" || c === '`') i = skipString(list, i);
    else if (c === ',' && depth === 0) {
      parts.push(list.slice(from, i));
      from = i + 1;
    }
  }
  const last = list.slice(from);
  if (last.trim() !== '') parts.push(last);
  return parts;
}
