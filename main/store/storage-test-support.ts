import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRevision,
  fillWithDefaultSettings,
  normalizeMangoQuery,
  now,
  prepareQuery,
  randomToken,
  type MangoQuery,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageInstance,
} from 'rxdb';
import { getRxStorageSqlite } from './index';

/** Helpers for the storage tests and benchmarks: raw storage instances without an RxDatabase. */

export const testKey = '5e'.repeat(32);

export function tempStoreDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'mis-store-'));
}

export interface Traveller {
  id: string;
  surname: string;
  documentNumber: string;
  issuingState: string;
  age: number;
  vip: boolean;
  nickname?: string;
  tags: string[];
}

export const travellerSchema: RxJsonSchema<RxDocumentData<Traveller>> = fillWithDefaultSettings({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    surname: { type: 'string', maxLength: 100 },
    documentNumber: { type: 'string', maxLength: 20 },
    issuingState: { type: 'string', maxLength: 3 },
    age: { type: 'integer', minimum: 0, maximum: 150, multipleOf: 1 },
    vip: { type: 'boolean' },
    nickname: { type: 'string', maxLength: 50 },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['id', 'surname', 'documentNumber', 'issuingState', 'age', 'vip', 'tags'],
  indexes: [['documentNumber', 'issuingState'], 'age', ['surname', 'age']],
  attachments: {},
} as RxJsonSchema<Traveller>);

export async function openInstance<T = Traveller>(
  storage: RxStorage<unknown, unknown>,
  schema: RxJsonSchema<RxDocumentData<T>> = travellerSchema as unknown as RxJsonSchema<RxDocumentData<T>>,
  databaseName = 'station',
  collectionName = 'travellers',
): Promise<RxStorageInstance<T, unknown, unknown>> {
  return storage.createStorageInstance<T>({
    databaseInstanceToken: randomToken(10),
    databaseName,
    collectionName,
    schema,
    options: {},
    multiInstance: false,
    devMode: true,
  }) as Promise<RxStorageInstance<T, unknown, unknown>>;
}

export function sqliteStorage(directory = tempStoreDirectory()) {
  return getRxStorageSqlite({ directory, key: testKey });
}

let lwt = now();

/** A stored form of a document: RxDB's meta fields, a fresh revision, a strictly later write time. */
export function stored<T extends object>(data: T, previous?: RxDocumentData<T>, deleted = false): RxDocumentData<T> {
  lwt = Math.max(lwt + 0.01, now());
  return {
    ...data,
    _deleted: deleted,
    _attachments: {},
    _meta: { lwt },
    _rev: createRevision('test-token', previous),
  } as RxDocumentData<T>;
}

export function prepared<T>(schema: RxJsonSchema<RxDocumentData<T>>, query: MangoQuery<RxDocumentData<T>>) {
  return prepareQuery<T>(schema, normalizeMangoQuery<T>(schema, query as MangoQuery<T>));
}

export function traveller(overrides: Partial<Traveller> = {}): Traveller {
  return {
    id: randomToken(12),
    surname: 'ERIKSSON',
    documentNumber: 'L898902C3',
    issuingState: 'UTO',
    age: 50,
    vip: false,
    tags: [],
    ...overrides,
  };
}
