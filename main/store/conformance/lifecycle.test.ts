import { readdirSync } from 'node:fs';
import { now, type RxJsonSchema, type RxDocumentData } from 'rxdb';
import { describe, expect, it } from 'vitest';
import { conformanceStorages, entry, entrySchema, entrySchemaAt, insertAll, queryIds, revise, uniqueName, wait, writeAll, type Entry, type Instance } from './support';

/** Opening, cleanup(), close() and remove() of storage instances. */
const { targets, open, directory } = conformanceStorages();

/** Runs cleanup until the storage says nothing is left (as RxDB's cleanup plugin does), at most 100 rounds. */
async function cleanupFully(instance: Instance<Entry>, minimumDeletedTime: number): Promise<number> {
  for (let rounds = 1; rounds <= 100; rounds++) if (await instance.cleanup(minimumDeletedTime)) return rounds;
  throw new Error('cleanup() never reported that it was done');
}

/** Waits until the write times already handed out lie in the past, so that cleanup(0) may purge them. */
async function afterWriteTimes(): Promise<void> {
  const last = now();
  while (Date.now() <= last + 1) await wait(2);
}

describe.each(targets)('opening instances on the $name storage', ({ storage }) => {
  it('keeps the database and collection names it was given', async () => {
    const databaseName = uniqueName('names');
    const instance = await open<Entry>(storage, entrySchema, { databaseName, collectionName: 'travellers' });
    expect(instance.databaseName).toBe(databaseName);
    expect(instance.collectionName).toBe('travellers');
    expect(instance.schema).toEqual(entrySchema);
  });

  it('opens 20 collections of one database at the same time, and removes them all', async () => {
    const databaseName = uniqueName('many');
    const instances = await Promise.all(Array.from({ length: 20 }, (_, i) => open<Entry>(storage, entrySchema, { databaseName, collectionName: `c${i}` })));
    await Promise.all(instances.map((instance, i) => insertAll(instance, [entry(`in-${i}`)])));
    await Promise.all(instances.map((instance) => instance.remove()));
  });

  it('writes to several collections of one database at the same time, each keeping its own documents', async () => {
    const databaseName = uniqueName('parallel');
    const instances = await Promise.all([0, 1, 2].map((i) => open<Entry>(storage, entrySchema, { databaseName, collectionName: `c${i}` })));
    await Promise.all(instances.flatMap((instance, i) => [0, 1, 2].map((d) => insertAll(instance, [entry(String(d), `collection ${i}`)]))));
    for (const [i, instance] of instances.entries()) {
      const docs = await instance.findDocumentsById(['0', '1', '2'], false);
      expect(docs.map((doc) => doc.value)).toEqual([`collection ${i}`, `collection ${i}`, `collection ${i}`]);
    }
  });

  it('opens another collection of a database after a write to the first, and writes there too', async () => {
    const databaseName = uniqueName('another');
    const first = await open<Entry>(storage, entrySchema, { databaseName });
    await insertAll(first, [entry('a', 'first')]);
    const second = await open<Entry>(storage, entrySchema, { databaseName });
    await insertAll(second, [entry('a', 'second')]);
    expect((await first.findDocumentsById(['a'], false))[0]!.value).toBe('first');
    expect((await second.findDocumentsById(['a'], false))[0]!.value).toBe('second');
  });

  it('keeps the documents of two schema versions of one collection apart', async () => {
    const databaseName = uniqueName('versions');
    const v0 = await open<Entry>(storage, entrySchemaAt(0), { databaseName, collectionName: 'people' });
    const v1 = await open<Entry>(storage, entrySchemaAt(1), { databaseName, collectionName: 'people' });
    await insertAll(v0, [entry('a', 'zero')]);
    await insertAll(v1, [entry('b', 'one')]);
    expect(await queryIds(v0, { selector: {}, sort: [{ id: 'asc' }] })).toEqual(['a']);
    expect(await queryIds(v1, { selector: {}, sort: [{ id: 'asc' }] })).toEqual(['b']);
  });

  it('keeps the documents of two databases with the same collection name apart', async () => {
    const first = await open<Entry>(storage, entrySchema, { collectionName: 'same' });
    await insertAll(first, [entry('a')]);
    await first.close();
    const second = await open<Entry>(storage, entrySchema, { collectionName: 'same' });
    expect(await queryIds(second, { selector: {}, sort: [{ id: 'asc' }] })).toEqual([]);
  });

  it('gives a closed collection its documents back when it is opened again', async () => {
    const databaseName = uniqueName('reopen');
    const first = await open<Entry>(storage, entrySchema, { databaseName, collectionName: 'kept' });
    const [doc] = await insertAll(first, [entry('a', 'persisted')]);
    await first.close();
    const again = await open<Entry>(storage, entrySchema, { databaseName, collectionName: 'kept' });
    expect(await again.findDocumentsById(['a'], false)).toEqual([doc]);
  });

  it('refuses a schema with keyCompression when no key-compression wrapper is used (RxDB error UT5)', async () => {
    await expect(open<Entry>(storage, { ...entrySchema, keyCompression: true })).rejects.toMatchObject({ code: 'UT5' });
  });

  it('refuses a schema with encrypted fields when no encryption wrapper is used (RxDB error UT6)', async () => {
    await expect(open<Entry>(storage, { ...entrySchema, encrypted: ['value'] } as RxJsonSchema<RxDocumentData<Entry>>)).rejects.toMatchObject({ code: 'UT6' });
  });

  it('refuses a schema with compressed attachments when no compression wrapper is used (RxDB error UT7)', async () => {
    await expect(open<Entry>(storage, { ...entrySchema, attachments: { compression: 'deflate' } })).rejects.toMatchObject({ code: 'UT7' });
  });
});

describe.each(targets)('cleanup on the $name storage', ({ storage }) => {
  it('keeps a deleted document younger than minimumDeletedTime and purges it once the time has passed', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [kept, doomed] = await insertAll(instance, [entry('kept'), entry('doomed')]);
    await writeAll(instance, [{ previous: doomed!, document: revise(doomed!, { _deleted: true }) }]);
    await afterWriteTimes();

    await cleanupFully(instance, 6 * 60 * 1000);
    expect((await instance.findDocumentsById(['doomed'], true))[0]?._deleted).toBe(true);

    await cleanupFully(instance, 0);
    expect(await instance.findDocumentsById(['doomed'], true)).toEqual([]);
    expect(await instance.findDocumentsById(['kept'], true)).toEqual([kept]);
  });

  it('never purges a document that is not deleted, however old its last write', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [old] = await insertAll(instance, [entry('old', 'x', { _meta: { lwt: 1_000 } })]);
    await cleanupFully(instance, 0);
    expect(await instance.findDocumentsById(['old'], false)).toEqual([old]);
  });

  it('says it is done on an empty collection, and again after purging', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    expect(await instance.cleanup(0)).toBe(true);
    const [doc] = await insertAll(instance, [entry('a')]);
    await writeAll(instance, [{ previous: doc!, document: revise(doc!, { _deleted: true }) }]);
    await afterWriteTimes();
    await cleanupFully(instance, 0);
    expect(await instance.cleanup(0)).toBe(true);
  });

  it('purges every one of many deleted documents, over as many calls as it needs', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const docs = await insertAll(
      instance,
      Array.from({ length: 50 }, (_, i) => entry(`d${i}`)),
    );
    await writeAll(
      instance,
      docs.map((doc) => ({ previous: doc, document: revise(doc, { _deleted: true }) })),
    );
    await afterWriteTimes();
    await cleanupFully(instance, 0);
    expect(
      await instance.findDocumentsById(
        docs.map((doc) => doc.id),
        true,
      ),
    ).toEqual([]);
  });
});

describe.each(targets)('close and remove on the $name storage', ({ storage }) => {
  it('closes without error when close() is called twice at the same time', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    await Promise.all([instance.close(), instance.close()]);
  });

  it('removes all data: a new instance of the same database and collection finds nothing', async () => {
    const databaseName = uniqueName('removed');
    const instance = await open<Entry>(storage, entrySchema, { databaseName, collectionName: 'gone' });
    await insertAll(instance, [entry('a')]);
    await instance.remove();
    const again = await open<Entry>(storage, entrySchema, { databaseName, collectionName: 'gone' });
    expect(await again.findDocumentsById(['a'], true)).toEqual([]);
    expect(await queryIds(again, { selector: {}, sort: [{ id: 'asc' }] })).toEqual([]);
  });

  it('keeps the other collections of the database when one collection is removed', async () => {
    const databaseName = uniqueName('partly');
    const removed = await open<Entry>(storage, entrySchema, { databaseName, collectionName: 'removed' });
    const other = await open<Entry>(storage, entrySchema, { databaseName, collectionName: 'other' });
    await insertAll(removed, [entry('a')]);
    const [kept] = await insertAll(other, [entry('b')]);
    await removed.remove();
    expect(await other.findDocumentsById(['b'], false)).toEqual([kept]);
    await other.close();
    const reopened = await open<Entry>(storage, entrySchema, { databaseName, collectionName: 'other' });
    expect(await reopened.findDocumentsById(['b'], false)).toEqual([kept]);
  });

  it('refuses remove() after close()', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    await instance.close();
    await expect((async () => instance.remove())()).rejects.toThrow();
  });

  it('accepts close() after remove()', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    await instance.remove();
    await instance.close();
  });
});

describe('close and remove on the sqlite storage (its own promises, beyond RxDB\'s)', () => {
  const sqlite = targets.find((target) => target.name === 'sqlite')!.storage;

  it('deletes the database file when its last collection is removed, also after the file was opened before', async () => {
    const databaseName = uniqueName('filegone');
    const filesOf = () => readdirSync(directory).filter((file) => file.startsWith(databaseName));
    const first = await open<Entry>(sqlite, entrySchema, { databaseName, collectionName: 'c' });
    await insertAll(first, [entry('a')]);
    await first.close();
    const again = await open<Entry>(sqlite, entrySchema, { databaseName, collectionName: 'c' });
    expect(filesOf()).toContain(`${databaseName}.sqlite`);
    await again.remove();
    expect(filesOf()).toEqual([]);
  });

  it('refuses reads and writes after close() instead of touching a closed database', async () => {
    const instance = await open<Entry>(sqlite, entrySchema);
    const [doc] = await insertAll(instance, [entry('a')]);
    await instance.close();
    await expect((async () => instance.findDocumentsById(['a'], false))()).rejects.toThrow();
    await expect((async () => instance.bulkWrite([{ previous: doc!, document: revise(doc!) }], 'after-close'))()).rejects.toThrow();
  });
});
