import type { ClientCore } from './client-core.js';

/**
 * The client that `op` records to (the latest `init()`), and every live client, so that one set of
 * process listeners can serve them all. It holds clients' cores (see ClientCore), never the public
 * objects; `client.close()` ends a client's registration.
 */
let active: ClientCore | undefined;
const live = new Set<ClientCore>();
let exitHooksInstalled = false;
let signalHooksInstalled = false;

export function activeClient(): ClientCore | undefined {
  return active;
}

/** Makes `client` the one `op` records to, and hands it to the process exit hooks. */
export function setActiveClient(client: ClientCore | undefined): void {
  active = client;
  if (!client) return;
  live.add(client);
  installExitHooks();
  if (client.options.handleSignals) installSignalHooks(client.options.signalBudgetMs);
}

/** `op` stops recording to `client`: if it was the active one, none is until the next `init()`. */
export function deactivateClient(client: ClientCore): void {
  if (active === client) active = undefined;
}

/** The process exit hooks let go of `client` (it may be collected once nothing else holds it). */
export function releaseClient(client: ClientCore): void {
  deactivateClient(client);
  live.delete(client);
}

/** How many clients the exit hooks hold. */
export function liveClientCount(): number {
  return live.size;
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
