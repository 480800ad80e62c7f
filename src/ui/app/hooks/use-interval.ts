import { useEffect, useRef, useState } from 'react';

/**
 * Calls `tick` every `ms` while `enabled`; a tick that returns a promise delays the next one until it
 * settles, so slow answers never pile up.
 */
export function useInterval(tick: () => void | Promise<void>, ms: number, enabled: boolean): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: number | undefined;
    const run = async () => {
      try {
        await latest.current();
      } catch {
        // a failed poll is retried at the next tick
      }
      if (!stopped) timer = window.setTimeout(() => void run(), ms);
    };
    timer = window.setTimeout(() => void run(), ms);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [ms, enabled]);
}

/** The current time, refreshed every `ms` while `enabled` (for live durations of running calls). */
export function useNow(ms: number, enabled: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), ms, enabled);
  return now;
}
