/** Moved to src/shared/digest.ts (the SDK uses it too); kept as a re-export for the ClickHouse store's imports. */
export * from '../shared/digest.js';
