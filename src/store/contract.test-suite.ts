import { describe } from 'node:test';
import type { TraceStore } from './trace-store.js';
import { adminContract } from './contract/admin-contract.test-suite.js';
import { contentContract } from './contract/content-contract.test-suite.js';
import { exprContract } from './contract/expr-contract.test-suite.js';
import { fieldTableContract } from './contract/field-table-contract.test-suite.js';
import { ingestContract } from './contract/ingest-contract.test-suite.js';
import { mutationContract } from './contract/mutation-contract.test-suite.js';
import { queryContract } from './contract/query-contract.test-suite.js';

/**
 * The behaviour every TraceStore must have, as node:test blocks. A store's own test file calls
 * `runStoreContract('sqlite', () => openFreshStore())`.
 *
 * `open` must return a new, empty store each time. Suites open a store per `describe` and give each
 * test its own project id, so a store that is slow to create can share its backing database across
 * calls as long as `hasApiKeys()` starts false for a store returned by `open` (the keys test opens its
 * own). `stats()` and `listProjects()` are checked relative to what other tests wrote.
 */
export function runStoreContract(name: string, open: () => Promise<TraceStore>): void {
  describe(`TraceStore contract: ${name}`, () => {
    ingestContract(open);
    queryContract(open);
    exprContract(open);
    mutationContract(open);
    contentContract(open);
    adminContract(open);
    fieldTableContract(open);
  });
}
