/**
 * Test support only (it runs RxDB, which product code in domain/ never loads): the
 * harness every schema migration is tested with. It does to fixtures what an upgrade
 * does to a station's data: stores them under the old schema, closes the database,
 * reopens it under the new schema with the collection's migration strategies, and
 * hands back what RxDB migrated them into. Each migrated document is validated against
 * the new schema on the way in, as the station's storage would.
 */
import { createRxDatabase, type RxJsonSchema, type RxStorage } from 'rxdb';
import type { CollectionDefinition } from './collections';
import { uniqueDatabaseName, validatingMemoryStorage } from './test-database';

interface MigrationCase<Before, After> {
  /** The collection's name, as in collectionDefinitions. */
  collection: string;
  /** The schema before the migration, version N-1 (kept frozen in `<collection>.v<N-1>.ts`). */
  before: RxJsonSchema<Before>;
  /** The schema at version N and the collection's migration strategies 1 ... N. */
  after: CollectionDefinition<After>;
  /** Documents as they were stored under `before`. */
  fixtures: Before[];
  /** Default: RxDB's memory storage with ajv validation. Pass the station's storage to test on it. */
  storage?: RxStorage<unknown, unknown>;
}

/** The strategies a collection at `version` must be opened with: one for each earlier version. */
function strategiesUpTo(strategies: CollectionDefinition<unknown>['migrationStrategies'], version: number) {
  return Object.fromEntries(Object.entries(strategies).filter(([toVersion]) => Number(toVersion) <= version));
}

/** Runs migration N on the fixtures; the migrated documents come back sorted by primary key. */
export async function migrateFixtures<Before, After>(migration: MigrationCase<Before, After>): Promise<After[]> {
  const { collection, before, after, fixtures } = migration;
  if (after.schema.version !== before.version + 1) {
    throw new RangeError(`A migration goes from one version to the next; got ${before.version} to ${after.schema.version}`);
  }
  const storage = migration.storage ?? validatingMemoryStorage();
  const name = uniqueDatabaseName('migration');

  const old = await createRxDatabase({ name, storage, multiInstance: false });
  try {
    const stored = await old.addCollections({
      [collection]: { schema: before, migrationStrategies: strategiesUpTo(after.migrationStrategies, before.version) },
    });
    const { error } = await stored[collection]!.bulkInsert(fixtures);
    if (error.length > 0) {
      const reasons = error.map((failure) => ('validationErrors' in failure ? failure.validationErrors : `status ${failure.status}`));
      throw new Error(`The fixtures do not fit the version ${before.version} schema: ${JSON.stringify(reasons)}`);
    }
  } finally {
    await old.close();
  }

  const upgraded = await createRxDatabase({ name, storage, multiInstance: false });
  let migrated: After[];
  try {
    // addCollections resolves once RxDB has migrated the stored documents (autoMigrate).
    const reopened = await upgraded.addCollections({ [collection]: { ...after, autoMigrate: true } });
    const documents = await reopened[collection]!.find({ sort: [{ [reopened[collection]!.schema.primaryPath]: 'asc' }] }).exec();
    migrated = documents.map((document) => document.toJSON() as After);
  } catch (failure) {
    // Report the migration's failure, not a later one from tidying up after it.
    await upgraded.close().catch((closing: unknown) => {
      throw new AggregateError([failure, closing], 'The migration failed, and closing the database after it failed too');
    });
    throw failure;
  }
  await upgraded.remove();
  return migrated;
}
