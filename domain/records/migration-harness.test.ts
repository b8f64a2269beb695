import { describe, expect, it } from 'vitest';
import { collectionDefinitions } from './collections';
import { describeMigrationHarness } from './migration-harness-scenario';

describeMigrationHarness('migration harness (its own test, with a test-only schema pair), on RxDB memory storage');

describe('product collections', () => {
  it('all start at version 0, so none has a migration strategy yet', () => {
    for (const definition of Object.values(collectionDefinitions)) {
      expect(definition.schema.version).toBe(0);
      expect(definition.migrationStrategies).toEqual({});
    }
  });
});
