import { readdirSync } from 'node:fs';
import type { RxJsonSchema, RxStorage } from 'rxdb';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { describe, expect, it } from 'vitest';
import { migrateFixtures } from '../../../domain/records/migration-harness';
import { conformanceStorages } from './support';

/**
 * The records migration harness, run on the station's SQLite storage instead of its
 * default (RxDB's memory storage): the scenario of the harness's own test. The harness
 * turns on RxDB's dev-mode, which accepts only a validating storage, so the SQLite
 * storage is wrapped with ajv exactly as the default memory storage is.
 */
const { sqlite, directory } = conformanceStorages();
const storage = wrappedValidateAjvStorage({ storage: sqlite }) as RxStorage<unknown, unknown>;

interface VisitorV0 {
  id: string;
  name: string;
  visits: number;
}

interface VisitorV1 {
  id: string;
  surname: string;
  givenNames: string;
  visits: number;
}

const visitorV0: RxJsonSchema<VisitorV0> = {
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

const visitorV1: RxJsonSchema<VisitorV1> = {
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

const splitName = (old: VisitorV0): VisitorV1 | null => {
  if (old.visits === 0) return null;
  const parts = old.name.trim().split(/\s+/);
  return { id: old.id, surname: parts.at(-1) ?? '', givenNames: parts.slice(0, -1).join(' '), visits: old.visits };
};

const fixtures: VisitorV0[] = [
  { id: 'v2', name: 'Ana Marija Kovač', visits: 3 },
  { id: 'v1', name: 'Edin Hodžić', visits: 1 },
  { id: 'v3', name: 'Nikola Petrović', visits: 0 },
];

function databaseFiles(): string[] {
  return readdirSync(directory).filter((name) => name.startsWith('migration'));
}

describe('the records migration harness on the SQLite storage', () => {
  it('stores fixtures at version N-1, reopens at N and returns them migrated, by primary key', async () => {
    const migrated = await migrateFixtures({
      collection: 'visitors',
      before: visitorV0,
      after: { schema: visitorV1, migrationStrategies: { 1: splitName } },
      fixtures,
      storage,
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
      storage,
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
        storage,
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
        storage,
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
        storage,
      }),
    ).rejects.toThrow(/one version to the next/);
  });

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
