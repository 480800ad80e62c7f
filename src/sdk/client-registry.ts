import type { WeftClient } from './client.js';

/**
 * The client that `op` records to (the latest `init()`), and every live client, so that one
 * `beforeExit` listener can drain them all when the event loop empties.
 */
let active: WeftClient | undefined;
const live = new Set<WeftClient>();
let exitHookInstalled = false;

export function activeClient(): WeftClient | undefined {
  return active;
}

export function setActiveClient(client: WeftClient | undefined): void {
  active = client;
  if (client) {
    live.add(client);
    installExitHook();
  }
}

/**
 * On `beforeExit` the event loop is empty, so no running call can still end: each client finishes
 * without waiting for pairs (leftover starts go as call/start) and drains. The requests it starts
 * keep the loop alive; once they settle, beforeExit fires again and finds nothing to do.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('beforeExit', () => {
    for (const client of live) {
      if (!client.isIdle()) void client.finish({ pairingTimeoutMs: 0 });
    }
  });
}
