import { describe, expect, it } from 'vitest';
import { collectionDefinitions } from './collections';
import { describeMigrationHarness } from './migration-harness-scenario';

describeMigrationHarness('migration harness (its own test, with a test-only schema pair), on RxDB memory storage');

describe('product collections', () => {
  it('each have one migration strategy for every version after 0, and none beyond their own', () => {
    for (const [name, definition] of Object.entries(collectionDefinitions)) {
      const expected = Array.from({ length: definition.schema.version }, (_, n) => String(n + 1));
      expect({ name, versions: Object.keys(definition.migrationStrategies) }).toEqual({ name, versions: expected });
    }
  });
});
