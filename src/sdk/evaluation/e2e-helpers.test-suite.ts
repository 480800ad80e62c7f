/** Shared by the evaluation tests that run against a real `weft serve`. */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { WeftServer } from '../../../test/helpers/weft-server.js';
import type { CallRecord } from '../../shared/call-types.js';
import type { WeftClient } from '../client.js';
import { init } from '../init.js';

export async function all(it: AsyncIterable<CallRecord>): Promise<CallRecord[]> {
  const out: CallRecord[] = [];
  for await (const c of it) out.push(c);
  return out;
}

export interface ServerUnderTest {
  readonly url: string;
  /** A new client (now the active one) on a project of its own; `warnings` collects its warnings. */
  freshClient(): Promise<{ client: WeftClient; warnings: string[] }>;
}

/**
 * Starts a `weft serve` before the file's tests and stops it after them, once every client made by
 * `freshClient()` has finished (so nothing is left to retry against a stopped server).
 */
export function useWeftServer(prefix: string): ServerUnderTest {
  let server: WeftServer | undefined;
  const clients: WeftClient[] = [];
  let projects = 0;
  before(async () => {
    server = await new WeftServer().start();
  });
  after(async () => {
    for (const c of clients) await c.finish({ pairingTimeoutMs: 0 });
    await server?.dispose();
  });
  return {
    get url() {
      return server!.url;
    },
    async freshClient() {
      const warnings: string[] = [];
      const client = await init({
        project: `acme/${prefix}-${++projects}`,
        serverUrl: server!.url,
        logger: { warn: (m) => warnings.push(m) },
      });
      clients.push(client);
      return { client, warnings };
    },
  };
}

/** An evaluation's calls, flushed and read back: the root, its predict_and_score calls, their children. */
export async function readTree(client: WeftClient) {
  const report = await client.flush();
  assert.equal(report.undeliverable, 0);
  const [root, ...others] = await all(client.getCalls({ filter: { op_names: ['Evaluation.evaluate'] } }));
  assert.ok(root, 'no Evaluation.evaluate call');
  assert.equal(others.length, 0);
  const calls = await all(client.getCalls({ filter: { trace_ids: [root.trace_id!] } }));
  const predictions = calls
    .filter((c) => c.parent_id === root.id)
    .sort((a, b) => {
      const ia = a.inputs as { row_index: number; trial: number };
      const ib = b.inputs as { row_index: number; trial: number };
      return ia.trial - ib.trial || ia.row_index - ib.row_index;
    });
  const childrenOf = (id: string) => calls.filter((c) => c.parent_id === id);
  return { root, calls, predictions, childrenOf };
}
