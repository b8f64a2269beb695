import type { RxJsonSchema, RxStorage } from 'rxdb';
import { describe, expect, it } from 'vitest';
import { migrateFixtures } from './migration-harness';

/*
 * The harness's own test, as a scenario any storage can run (RxDB's memory storage here,
 * the station's SQLite storage in main/store/conformance). The "visitors" collection and
 * its two versions exist only here, to show the harness migrates, drops, validates and
 * refuses as it should; they are not a product schema or a product migration.
 */

export interface VisitorV0 {
  id: string;
  /** One field for the whole name. */
  name: string;
  visits: number;
}

export interface VisitorV1 {
  id: string;
  surname: string;
  givenNames: string;
  visits: number;
}

export const visitorV0: RxJsonSchema<VisitorV0> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', maxLength: 20 },
    name: { type: 'string', maxLength: 100 },
    visits: { type: 'integer', minimum: 0, maximum: 1000, multipleOf: 1 },
  },
  required: ['id', 'name', 'visits'],
  indexes: ['visits'],
};

export const visitorV1: RxJsonSchema<VisitorV1> = {
  version: 1,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', maxLength: 20 },
    surname: { type: 'string', maxLength: 100, minLength: 1 },
    givenNames: { type: 'string', maxLength: 100 },
    visits: { type: 'integer', minimum: 0, maximum: 1000, multipleOf: 1 },
  },
  required: ['id', 'surname', 'givenNames', 'visits'],
  indexes: ['visits', 'surname'],
};

/** "Given Names SURNAME" becomes its two parts; visitors who never came are dropped. */
export const splitName = (old: VisitorV0): VisitorV1 | null => {
  if (old.visits === 0) return null;
  const parts = old.name.trim().split(/\s+/);
  return { id: old.id, surname: parts.at(-1) ?? '', givenNames: parts.slice(0, -1).join(' '), visits: old.visits };
};

export const fixtures: VisitorV0[] = [
  { id: 'v2', name: 'Ana Marija Kovač', visits: 3 },
  { id: 'v1', name: 'Edin Hodžić', visits: 1 },
  { id: 'v3', name: 'Nikola Petrović', visits: 0 },
];

export function describeMigrationHarness(title: string, storage?: RxStorage<unknown, unknown>): void {
  describe(title, () => {
  it('stores fixtures at version N-1, reopens at N and returns them migrated, by primary key', async () => {
    const migrated = await migrateFixtures({
      collection: 'visitors',
      before: visitorV0,
      after: { schema: visitorV1, migrationStrategies: { 1: splitName } },
      fixtures,
      ...(storage ? { storage } : {}),
    });
    expect(migrated).toEqual([
      { id: 'v1', surname: 'Hodžić', givenNames: 'Edin', visits: 1 },
      { id: 'v2', surname: 'Kovač', givenNames: 'Ana Marija', visits: 3 },
    ]);
  });

  it('runs asynchronous strategies too', async () => {
    const migrated = await migrateFixtures({
      collection: 'visitors',
      before: visitorV0,
      after: { schema: visitorV1, migrationStrategies: { 1: async (old: VisitorV0) => splitName(old) } },
      fixtures: fixtures.slice(0, 1),
      ...(storage ? { storage } : {}),
    });
    expect(migrated.map((visitor) => visitor.surname)).toEqual(['Kovač']);
  });

  it('fails when a strategy makes documents the new schema refuses', async () => {
    const forgetsTheSurname = (old: VisitorV0) => ({ id: old.id, givenNames: old.name, visits: old.visits });
    await expect(
      migrateFixtures({
        collection: 'visitors',
        before: visitorV0,
        after: { schema: visitorV1, migrationStrategies: { 1: forgetsTheSurname } },
        fixtures,
        ...(storage ? { storage } : {}),
      }),
    ).rejects.toThrow(/schema validation error/);
  });

  it('fails when the fixtures do not fit the old schema', async () => {
    await expect(
      migrateFixtures({
        collection: 'visitors',
        before: visitorV0,
        after: { schema: visitorV1, migrationStrategies: { 1: splitName } },
        fixtures: [{ id: 'v9', name: 'Too Many Visits', visits: 5000 }],
        ...(storage ? { storage } : {}),
      }),
    ).rejects.toThrow(/do not fit the version 0 schema/);
  });

  it('refuses a pair of schemas that is not one version apart', async () => {
    await expect(
      migrateFixtures({
        collection: 'visitors',
        before: visitorV0,
        after: { schema: { ...visitorV1, version: 2 }, migrationStrategies: { 1: splitName, 2: (doc: VisitorV1) => doc } },
        fixtures,
        ...(storage ? { storage } : {}),
      }),
    ).rejects.toThrow(/one version to the next/);
  });
});
}
