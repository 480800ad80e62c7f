/** `--name value` / `--name=value` flags of a bench script, as numbers or strings with defaults. */
export function numberArg(name: string, fallback: number): number {
  const raw = stringArg(name, undefined);
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} expects a positive number, got ${raw}`);
  return n;
}

export function stringArg(name: string, fallback: string): string;
export function stringArg(name: string, fallback: undefined): string | undefined;
export function stringArg(name: string, fallback: string | undefined): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === `--${name}`) return args[i + 1] ?? fallback;
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return fallback;
}

export function flagArg(name: string): boolean {
  return process.argv.slice(2).includes(`--${name}`);
}
