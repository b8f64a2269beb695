import { readdirSync } from 'node:fs';
import type { RxStorage } from 'rxdb';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { describe, expect, it } from 'vitest';
import { migrateFixtures } from '../../../domain/records/migration-harness';
import { describeMigrationHarness, fixtures, splitName, visitorV0, visitorV1 } from '../../../domain/records/migration-harness-scenario';
import { conformanceStorages } from './support';

/**
 * The records migration harness, run on the station's SQLite storage instead of its
 * default (RxDB's memory storage): the scenario of the harness's own test. The harness
 * turns on RxDB's dev-mode, which accepts only a validating storage, so the SQLite
 * storage is wrapped with ajv exactly as the default memory storage is.
 */
const { sqlite, directory } = conformanceStorages();
const storage = wrappedValidateAjvStorage({ storage: sqlite }) as RxStorage<unknown, unknown>;

function databaseFiles(): string[] {
  return readdirSync(directory).filter((name) => name.startsWith('migration'));
}

describeMigrationHarness('the records migration harness on the SQLite storage', storage);

describe('the migration harness on the SQLite storage, afterwards', () => {
  it('leaves no database file behind after a successful migration', async () => {
    const before = databaseFiles();
    await migrateFixtures({
      collection: 'visitors',
      before: visitorV0,
      after: { schema: visitorV1, migrationStrategies: { 1: splitName } },
      fixtures,
      storage,
    });
    // The harness removes its database at the end; with no collection left, its file goes too.
    expect(databaseFiles()).toEqual(before);
  });
});
