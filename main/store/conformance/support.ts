import {
  createRevision,
  fillWithDefaultSettings,
  getPrimaryFieldOfPrimaryKey,
  normalizeMangoQuery,
  now,
  prepareQuery,
  randomToken,
  type BulkWriteRow,
  type MangoQuery,
  type PreparedQuery,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageBulkWriteResponse,
  type RxStorageInstance,
} from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { getRxStorageSqlite } from '../index';
import { tempStoreDirectory, testKey } from '../storage-test-support';

/**
 * Shared pieces of the conformance tests. Each behaviour is run on the station's SQLite
 * storage and, as the reference, on RxDB's own memory storage: a test that passes on
 * the memory storage encodes what RxDB really does, not what we think it does.
 */

export type AnyStorage = RxStorage<unknown, unknown>;
export type Instance<T> = RxStorageInstance<T, unknown, unknown>;
export type StorageName = 'sqlite' | 'memory';

export interface Target {
  name: StorageName;
  storage: AnyStorage;
}

export interface OpenOptions {
  databaseName?: string;
  collectionName?: string;
  multiInstance?: boolean;
  databaseInstanceToken?: string;
  /** Keep the instance open until the file's last test (for data set up once in beforeAll). */
  keepUntilEnd?: boolean;
}

export const context = 'mis-conformance';

/** A name no other database or collection of this run has: letters and digits only. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomToken(10)}`;
}

/**
 * One SQLite storage (one worker) and one memory storage for the whole test file. A
 * small "anchor" collection stays open from the first test to the last so that the
 * worker is not stopped and restarted between tests; each test opens its own database.
 */
export function conformanceStorages(directory = tempStoreDirectory()) {
  const sqlite = getRxStorageSqlite({ directory, key: testKey }) as unknown as AnyStorage;
  const memory = getRxStorageMemory() as unknown as AnyStorage;
  const opened: Instance<unknown>[] = [];
  const keptUntilEnd: Instance<unknown>[] = [];
  let anchor: Instance<unknown> | undefined;

  async function open<T>(storage: AnyStorage, schema: RxJsonSchema<RxDocumentData<T>>, options: OpenOptions = {}): Promise<Instance<T>> {
    const instance = await storage.createStorageInstance<T>({
      databaseInstanceToken: options.databaseInstanceToken ?? randomToken(10),
      databaseName: options.databaseName ?? uniqueName('db'),
      collectionName: options.collectionName ?? uniqueName('col'),
      schema,
      options: {},
      multiInstance: options.multiInstance ?? false,
      devMode: true,
    });
    (options.keepUntilEnd ? keptUntilEnd : opened).push(instance as Instance<unknown>);
    return instance as Instance<T>;
  }

  beforeAll(async () => {
    anchor = (await sqlite.createStorageInstance({
      databaseInstanceToken: randomToken(10),
      databaseName: uniqueName('anchor'),
      collectionName: 'anchor',
      schema: entrySchema,
      options: {},
      multiInstance: false,
      devMode: true,
    })) as Instance<unknown>;
  });
  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((instance) => instance.close()));
  });
  afterAll(async () => {
    await Promise.allSettled(keptUntilEnd.splice(0).map((instance) => instance.close()));
    await anchor?.close();
  });

  const targets: Target[] = [
    { name: 'sqlite', storage: sqlite },
    { name: 'memory', storage: memory },
  ];
  return { targets, sqlite, memory, open, directory };
}

/** The document most tests write: an id, an indexed value and an optional note. */
export interface Entry {
  id: string;
  value: string;
  note?: string;
}

export function entrySchemaAt(version: number, extra: Partial<RxJsonSchema<Entry>> = {}): RxJsonSchema<RxDocumentData<Entry>> {
  return fillWithDefaultSettings<Entry>({
    version,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: { type: 'string', maxLength: 100 },
      value: { type: 'string', maxLength: 100 },
      note: { type: 'string', maxLength: 100 },
    },
    required: ['id', 'value'],
    indexes: ['value'],
    ...extra,
  });
}

export const entrySchema = entrySchemaAt(0);
export const entrySchemaWithAttachments = entrySchemaAt(0, { attachments: {} });

/** The revisions these tests write carry one writer token, as one RxDatabase's would. */
export const writerToken = randomToken(10);

export function entry(id: string, value = 'value', extra: Partial<RxDocumentData<Entry>> = {}): RxDocumentData<Entry> {
  return { id, value, _deleted: false, _attachments: {}, _meta: { lwt: now() }, _rev: createRevision(writerToken), ...extra };
}

/** The next revision of a stored document: later write time, revision one higher, changes applied. */
export function revise<T>(previous: RxDocumentData<T>, changes: Partial<RxDocumentData<T>> = {}): RxDocumentData<T> {
  return { ...previous, _meta: { ...previous._meta, lwt: now() }, _rev: createRevision(writerToken, previous), ...changes };
}

/** Writes the rows and fails the test if any of them was refused. */
export async function writeAll<T>(instance: Instance<T>, rows: BulkWriteRow<T>[]): Promise<RxStorageBulkWriteResponse<T>> {
  const result = await instance.bulkWrite(rows, context);
  expect(result.error).toEqual([]);
  return result;
}

export async function insertAll<T>(instance: Instance<T>, documents: RxDocumentData<T>[]): Promise<RxDocumentData<T>[]> {
  await writeAll(instance, documents.map((document) => ({ document })));
  return documents;
}

/** A query as RxDB hands it to a storage: normalised (sort ends with the primary key) and planned. */
export function preparedFor<T>(schema: RxJsonSchema<RxDocumentData<T>>, query: MangoQuery<T>): PreparedQuery<T> {
  return prepareQuery<T>(schema, normalizeMangoQuery<T>(schema, query));
}

export function primaryOf<T>(schema: RxJsonSchema<RxDocumentData<T>>, doc: RxDocumentData<T>): string {
  const primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
  return (doc as Record<string, unknown>)[primaryPath] as string;
}

/** The primary keys a query returns, in the storage's order. */
export async function queryIds<T>(instance: Instance<T>, query: MangoQuery<T>): Promise<string[]> {
  const result = await instance.query(preparedFor(instance.schema as RxJsonSchema<RxDocumentData<T>>, query));
  return result.documents.map((doc) => primaryOf(instance.schema as RxJsonSchema<RxDocumentData<T>>, doc));
}

export function sortedIds(docs: { id: string }[]): string[] {
  return docs.map((doc) => doc.id).sort();
}

export function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until the condition holds, polling; fails after the timeout. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('The condition did not become true in time');
    await wait(10);
  }
}
