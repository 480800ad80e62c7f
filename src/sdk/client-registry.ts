import type { WeftClient } from './client.js';

/**
 * The client that `op` records to (the latest `init()`), and every live client, so that one set of
 * process listeners can serve them all.
 */
let active: WeftClient | undefined;
const live = new Set<WeftClient>();
let exitHooksInstalled = false;
let signalHooksInstalled = false;

export function activeClient(): WeftClient | undefined {
  return active;
}

export function setActiveClient(client: WeftClient | undefined): void {
  active = client;
  if (!client) return;
  live.add(client);
  installExitHooks();
  if (client.options.handleSignals) installSignalHooks(client.options.signalBudgetMs);
}

/**
 * - `beforeExit`: the event loop is empty, so no running call can still end: each client finishes
 *   without waiting for pairs (leftover starts go as call/start) and drains. The requests it starts
 *   keep the loop alive; once they settle, beforeExit fires again and finds nothing to do.
 * - `exit` (also after `process.exit()`): no asynchronous work can run any more, so what is still in
 *   memory is written to the disk spool synchronously; the next `init()` for the same project and
 *   server sends it.
 */
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('beforeExit', () => {
    for (const client of live) if (!client.isIdle()) client.finishOnExit();
  });
  process.on('exit', () => {
    for (const client of live) client.spillOnExit();
  });
}

/**
 * Opt-in: on SIGINT/SIGTERM, finish every client within the budget, then exit the way the signal
 * would have (our listener is removed and the signal raised again).
 */
function installSignalHooks(budgetMs: number): void {
  if (signalHooksInstalled) return;
  signalHooksInstalled = true;
  const onSignal = (signal: NodeJS.Signals): void => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, budgetMs).unref());
    const finishing = Promise.all(
      [...live].map((c) => c.finish({ pairingTimeoutMs: budgetMs, timeoutMs: budgetMs })),
    );
    void Promise.race([finishing, deadline]).then(() => {
      for (const client of live) client.spillOnExit();
      process.kill(process.pid, signal);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
