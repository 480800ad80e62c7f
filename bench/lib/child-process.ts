import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A bench helper process (receiver, server) that announced itself with a `{ ready: ... }` message. */
export interface ReadyChild<T> {
  child: ChildProcess;
  ready: T;
  /** Asks the child to shut down cleanly (so `--cpu-prof` profiles get written) and waits for its exit. */
  stop(): Promise<void>;
}

/**
 * Forks a compiled bench module (next to this file) and waits for its `{ ready }` message. Extra node
 * flags for the child come from `execArgv` (e.g. `--cpu-prof`).
 */
export async function forkReady<T>(
  module: string,
  args: string[],
  execArgv: string[] = [],
): Promise<ReadyChild<T>> {
  const child = fork(fileURLToPath(new URL(module, import.meta.url)), args, {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<T>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`${module} exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (msg: unknown) => {
      child.off('exit', onExit);
      const m = msg as { ready?: T; error?: string };
      if (m.error !== undefined) reject(new Error(`${module}: ${m.error}`));
      else resolve(m.ready as T);
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    ready,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.send({ stop: true });
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Child side: runs `onStop` when the parent asks (or disconnects), then exits. */
export function onStopRequest(onStop: () => Promise<void>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    onStop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('message', (msg: unknown) => {
    if ((msg as { stop?: boolean }).stop) stop();
  });
  process.on('disconnect', stop);
}
