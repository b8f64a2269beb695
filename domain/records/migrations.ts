import type { MigrationStrategies } from 'rxdb';
import type { CollectionName } from './collections';
import { officerToV1 } from './migrations/officers-1';

/**
 * How each collection's stored documents are brought to its current schema version,
 * in the shape RxDB's migration-schema plugin takes: strategy N turns a document of
 * version N-1 into one of version N (or null to drop it).
 *
 * To change a schema:
 * 1. keep the old schema, frozen, as `<collection>.v<N-1>.ts` (its test needs it);
 * 2. raise the schema's version to N and change it;
 * 3. write the strategy in `migrations/<collection>-<N>.ts` and register it here;
 * 4. test it with migration-harness.ts: open at N-1, insert fixtures, reopen at N;
 * 5. update the schema's fingerprint in schema-fingerprints.test.ts.
 * Strategies must be pure functions of the old document: RxDB may run them again
 * after a crash halfway through a migration.
 */
export const migrationStrategies: { readonly [Name in CollectionName]: MigrationStrategies } = {
  registrations: {},
  crossings: {},
  biometrics: {},
  audit: {},
  alerts: {},
  officers: { 1: officerToV1 },
  stations: {},
  codeLists: {},
};
