import { createRevision, randomToken, type RxDocumentData } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { beforeAll, describe, expect, it } from 'vitest';
import { getRxStorageSqlite } from '../index';
import { testKey } from '../storage-test-support';
import { conformanceStorages, entry, entrySchema, insertAll, preparedFor, queryIds, uniqueName, waitFor, writeAll, type AnyStorage, type Entry, type Instance, type StorageName } from './support';

/**
 * Several instances of one collection in one process, as RxDB opens them with
 * multiInstance: true (several RxDatabases of one name, or a storage shared by plugins):
 * they see each other's documents and each other's change events.
 */
const { targets, open, directory } = conformanceStorages();

/** A second storage object over the same data: a second SQLite storage on the same folder, or a second memory storage. */
const secondStorage: Record<StorageName, AnyStorage> = {
  sqlite: getRxStorageSqlite({ directory, key: testKey }) as unknown as AnyStorage,
  memory: getRxStorageMemory() as unknown as AnyStorage,
};

// Keeps the second SQLite storage's worker running from the first test to the last.
beforeAll(async () => {
  await open<Entry>(secondStorage.sqlite, entrySchema, { databaseName: uniqueName('anchor'), collectionName: 'anchor', keepUntilEnd: true });
});

async function pair(first: AnyStorage, second: AnyStorage): Promise<{ a: Instance<Entry>; b: Instance<Entry> }> {
  const names = { databaseName: uniqueName('shared'), collectionName: 'travellers', multiInstance: true };
  const a = await open<Entry>(first, entrySchema, names);
  const b = await open<Entry>(second, entrySchema, names);
  // One read on each, so that both are fully set up.
  await a.findDocumentsById(['warm-up'], true);
  await b.findDocumentsById(['warm-up'], true);
  return { a, b };
}

function operationsOf(instance: Instance<Entry>): string[] {
  const operations: string[] = [];
  instance.changeStream().subscribe((bulk) => operations.push(...bulk.events.map((event) => event.operation)));
  return operations;
}

describe.each(targets)('two instances of one collection from one $name storage object', ({ storage }) => {
  it('each sees the documents the other wrote', async () => {
    const { a, b } = await pair(storage, storage);
    await insertAll(a, [entry('from-a')]);
    await insertAll(b, [entry('from-b')]);
    for (const instance of [a, b]) expect((await instance.findDocumentsById(['from-a', 'from-b'], true)).map((doc) => doc.id).sort()).toEqual(['from-a', 'from-b']);
  });

  it('one finds the document the other wrote, updates it, and both receive the INSERT and the UPDATE', async () => {
    const { a, b } = await pair(storage, storage);
    const onA = operationsOf(a);
    const onB = operationsOf(b);
    await insertAll(a, [entry('shared', 'from a')]);
    const found = (await b.query(preparedFor(entrySchema, { selector: {}, sort: [{ id: 'asc' }], limit: 1 }))).documents[0]!;
    expect(found.id).toBe('shared');
    const updated: RxDocumentData<Entry> = { ...found, value: 'updated by b', _rev: createRevision(randomToken(10), found), _meta: { lwt: found._meta.lwt + 1 } };
    await writeAll(b, [{ previous: found, document: updated }]);
    expect((await a.findDocumentsById(['shared'], false))[0]!.value).toBe('updated by b');
    await waitFor(() => onA.length === 2 && onB.length === 2);
    expect(onA).toEqual(['INSERT', 'UPDATE']);
    expect(onB).toEqual(['INSERT', 'UPDATE']);
  });

  it('finishes a query on one instance when the other is closed meanwhile', async () => {
    const { a, b } = await pair(storage, storage);
    await insertAll(a, [entry('x')]);
    const query = queryIds(b, { selector: {}, sort: [{ id: 'asc' }] });
    void a.close();
    expect(await query).toEqual(['x']);
  });

  it('keeps the other instance working, with its change events, after one is closed', async () => {
    const { a, b } = await pair(storage, storage);
    await a.close();
    const onB = operationsOf(b);
    await insertAll(b, [entry('after-close')]);
    expect(onB).toEqual(['INSERT']);
    expect(await queryIds(b, { selector: {}, sort: [{ id: 'asc' }] })).toEqual(['after-close']);
  });
});

describe.each(targets)('instances of one collection from two $name storage objects', ({ name, storage }) => {
  it('each sees the documents written through the other storage object', async () => {
    const { a, b } = await pair(storage, secondStorage[name]);
    await insertAll(a, [entry('from-a')]);
    await insertAll(b, [entry('from-b')]);
    for (const instance of [a, b]) expect((await instance.findDocumentsById(['from-a', 'from-b'], true)).map((doc) => doc.id).sort()).toEqual(['from-a', 'from-b']);
  });

  it('emits the change events of a write through one storage object on the instance of the other (multiInstance: true)', async () => {
    const { a, b } = await pair(storage, secondStorage[name]);
    const onB = operationsOf(b);
    await insertAll(a, [entry('seen-elsewhere')]);
    await waitFor(() => onB.length > 0, 500).catch(() => undefined);
    expect(onB).toEqual(['INSERT']);
  });
});
