import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { addRxPlugin, createBlob, createRxDatabase, fillWithDefaultSettings, removeRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema } from 'rxdb';
import { RxDBAttachmentsPlugin } from 'rxdb/plugins/attachments';
import { RxDBCleanupPlugin } from 'rxdb/plugins/cleanup';
import { wrappedKeyCompressionStorage } from 'rxdb/plugins/key-compression';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { conformanceStorages, uniqueName, wait, type AnyStorage } from './support';

/**
 * The storage as the station uses it: under an RxDatabase (no dev-mode, no validator,
 * like main/services/station-store.ts), with the migration, attachments, cleanup and
 * local-documents plugins. The same steps run on RxDB's memory storage.
 */
addRxPlugin(RxDBMigrationSchemaPlugin);
addRxPlugin(RxDBAttachmentsPlugin);
addRxPlugin(RxDBCleanupPlugin);
addRxPlugin(RxDBLocalDocumentsPlugin);

const { targets, open } = conformanceStorages();

interface Visitor {
  id: string;
  name: string;
  visits: number;
  country?: string;
}

const visitorSchema: RxJsonSchema<Visitor> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    name: { type: 'string', maxLength: 100 },
    visits: { type: 'integer', minimum: 0, maximum: 1000, multipleOf: 1 },
    country: { type: 'string', maxLength: 3 },
  },
  required: ['id', 'name', 'visits'],
  indexes: ['visits', 'name'],
  attachments: {},
};

interface VisitorV1 {
  id: string;
  surname: string;
  givenNames: string;
  visits: number;
}

const visitorSchemaV1: RxJsonSchema<VisitorV1> = {
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    surname: { type: 'string', maxLength: 100 },
    givenNames: { type: 'string', maxLength: 100 },
    visits: { type: 'integer', minimum: 0, maximum: 1000, multipleOf: 1 },
  },
  required: ['id', 'surname', 'givenNames', 'visits'],
  indexes: ['surname'],
  attachments: {},
};

const splitName = (old: Visitor): VisitorV1 | null => {
  if (old.visits === 0) return null;
  const parts = old.name.split(' ');
  return { id: old.id, surname: parts.at(-1)!, givenNames: parts.slice(0, -1).join(' '), visits: old.visits };
};

type Visitors = RxCollection<Visitor>;
const databases: RxDatabase[] = [];

async function database(storage: AnyStorage, name = uniqueName('rx'), options: { localDocuments?: boolean } = {}): Promise<RxDatabase> {
  const db = await createRxDatabase({ name, storage, multiInstance: false, eventReduce: true, ...options });
  databases.push(db);
  return db;
}

async function visitors(storage: AnyStorage, name?: string): Promise<{ db: RxDatabase; collection: Visitors }> {
  const db = await database(storage, name);
  const { visitors: collection } = await db.addCollections({ visitors: { schema: visitorSchema } });
  return { db, collection: collection as Visitors };
}

afterEach(async () => {
  await Promise.allSettled(databases.splice(0).map((db) => (db.closed ? undefined : db.close())));
});

describe.each(targets)('an RxDatabase on the $name storage', ({ storage }) => {
  it('inserts, finds, updates and removes documents', async () => {
    const { collection } = await visitors(storage);
    await collection.insert({ id: 'v1', name: 'Edin Hodžić', visits: 1 });
    await collection.bulkInsert([
      { id: 'v2', name: 'Ana Kovač', visits: 3, country: 'HRV' },
      { id: 'v3', name: 'Nikola Petrović', visits: 0 },
    ]);
    const v1 = await collection.findOne('v1').exec(true);
    await v1.incrementalPatch({ visits: 2 });
    await (await collection.findOne('v3').exec(true)).remove();
    const all = await collection.find({ sort: [{ id: 'asc' }] }).exec();
    expect(all.map((doc) => [doc.id, doc.visits])).toEqual([
      ['v1', 2],
      ['v2', 3],
    ]);
    expect(await collection.count().exec()).toBe(2);
    expect([...(await collection.findByIds(['v1', 'v3']).exec()).keys()]).toEqual(['v1']);
  });

  it('inserts a document again after it was removed', async () => {
    const { collection } = await visitors(storage);
    const doc = await collection.insert({ id: 'again', name: 'First Life', visits: 1 });
    await doc.remove();
    await collection.insert({ id: 'again', name: 'Second Life', visits: 2 });
    expect((await collection.findOne('again').exec(true)).name).toBe('Second Life');
  });

  it('answers queries with selector, sort, skip and limit, and counts', async () => {
    const { collection } = await visitors(storage);
    await collection.bulkInsert(
      Array.from({ length: 20 }, (_, i) => ({ id: `q${String(i).padStart(2, '0')}`, name: `Name ${i % 4}`, visits: i % 7, ...(i % 3 === 0 ? { country: 'BIH' } : {}) })),
    );
    const page = await collection.find({ selector: { visits: { $gte: 2 } }, sort: [{ visits: 'desc' }, { id: 'asc' }], skip: 2, limit: 5 }).exec();
    expect(page.map((doc) => doc.id)).toEqual(['q05', 'q12', 'q19', 'q04', 'q11']);
    expect(await collection.count({ selector: { country: 'BIH' } }).exec()).toBe(7);
    expect((await collection.find({ selector: { name: { $regex: '^Name [12]$' }, country: { $exists: false } }, sort: [{ id: 'asc' }] }).exec()).map((doc) => doc.id)).toEqual(['q01', 'q02', 'q05', 'q10', 'q13', 'q14', 'q17']);
  });

  it('updates a live query when a matching document is written', async () => {
    const { collection } = await visitors(storage);
    await collection.insert({ id: 'a', name: 'A', visits: 5 });
    const query = collection.find({ selector: { visits: { $gt: 3 } }, sort: [{ id: 'asc' }] });
    const withTwo = firstValueFrom(query.$.pipe(filter((docs) => docs.length === 2)));
    await collection.insert({ id: 'b', name: 'B', visits: 9 });
    await collection.insert({ id: 'c', name: 'C', visits: 1 });
    expect((await withTwo).map((doc) => doc.id)).toEqual(['a', 'b']);
  });

  it('upserts in bulk, writing new documents and replacing stored ones', async () => {
    const { collection } = await visitors(storage);
    await collection.insert({ id: 'a', name: 'Old', visits: 1 });
    const result = await collection.bulkUpsert([
      { id: 'a', name: 'New', visits: 2 },
      { id: 'b', name: 'Fresh', visits: 1 },
    ]);
    expect(result.error).toEqual([]);
    expect((await collection.find({ sort: [{ id: 'asc' }] }).exec()).map((doc) => doc.name)).toEqual(['New', 'Fresh']);
  });

  it('keeps the documents when the database is closed and created again with the same name', async () => {
    const name = uniqueName('reopen');
    const first = await visitors(storage, name);
    await first.collection.insert({ id: 'kept', name: 'Kept', visits: 4 });
    await first.db.close();
    const second = await visitors(storage, name);
    expect((await second.collection.findOne('kept').exec(true)).visits).toBe(4);
  });

  it('removes everything with the database: created again, its collection is empty', async () => {
    const name = uniqueName('gone');
    const first = await visitors(storage, name);
    await first.collection.insert({ id: 'gone', name: 'Gone', visits: 1 });
    await first.db.remove();
    const second = await visitors(storage, name);
    expect(await second.collection.count().exec()).toBe(0);
  });

  it('removes the database by name with removeRxDatabase while it is closed', async () => {
    const name = uniqueName('byname');
    const first = await visitors(storage, name);
    await first.collection.insert({ id: 'x', name: 'X', visits: 1 });
    await first.db.close();
    await removeRxDatabase(name, storage);
    const second = await visitors(storage, name);
    expect(await second.collection.count().exec()).toBe(0);
  });

  it('removes one collection and keeps the others of the database', async () => {
    const db = await database(storage);
    const { first, second } = await db.addCollections({ first: { schema: visitorSchema }, second: { schema: visitorSchema } });
    await first!.insert({ id: 'a', name: 'A', visits: 1 });
    await second!.insert({ id: 'b', name: 'B', visits: 1 });
    await first!.remove();
    expect(await second!.count().exec()).toBe(1);
    const { first: again } = await db.addCollections({ first: { schema: visitorSchema } });
    expect(await again!.count().exec()).toBe(0);
  });

  it('purges deleted documents with collection.cleanup()', async () => {
    const { collection } = await visitors(storage);
    await collection.bulkInsert([
      { id: 'stays', name: 'Stays', visits: 1 },
      { id: 'purged', name: 'Purged', visits: 1 },
    ]);
    await (await collection.findOne('purged').exec(true)).remove();
    await wait(5);
    await collection.cleanup(0);
    expect((await collection.storageInstance.findDocumentsById(['purged', 'stays'], true)).map((doc) => doc.id)).toEqual(['stays']);
  });

  it('stores local documents beside the collections', async () => {
    const name = uniqueName('local');
    const db = await database(storage, name, { localDocuments: true });
    await db.insertLocal('settings', { station: 'BIH-01', lane: 3 });
    await db.upsertLocal('settings', { station: 'BIH-01', lane: 4 });
    expect((await db.getLocal<{ station: string; lane: number }>('settings'))!.get('lane')).toBe(4);
    await db.close();
    const again = await database(storage, name, { localDocuments: true });
    expect((await again.getLocal<{ station: string; lane: number }>('settings'))!.toJSON().data).toEqual({ station: 'BIH-01', lane: 4 });
  });

  it('stores key-compressed collections through the key-compression wrapper', async () => {
    const db = await database(wrappedKeyCompressionStorage({ storage }) as unknown as AnyStorage);
    const { compressed } = await db.addCollections({ compressed: { schema: { ...visitorSchema, keyCompression: true, attachments: undefined } } });
    await compressed!.bulkInsert([
      { id: 'k1', name: 'Zed', visits: 2, country: 'SRB' },
      { id: 'k2', name: 'Amy', visits: 7 },
    ]);
    const found = await compressed!.find({ selector: { visits: { $gt: 1 } }, sort: [{ name: 'asc' }] }).exec();
    expect(found.map((doc) => doc.toJSON())).toEqual([
      { id: 'k2', name: 'Amy', visits: 7 },
      { id: 'k1', name: 'Zed', visits: 2, country: 'SRB' },
    ]);
  });
});

describe.each(targets)('the attachments plugin on the $name storage', ({ storage }) => {
  it('puts, reads, lists and removes attachments of a document', async () => {
    const { collection } = await visitors(storage);
    const doc = await collection.insert({ id: 'a', name: 'A', visits: 1 });
    const photo = new Uint8Array(1000).map((_, i) => (i * 7) % 256);
    await doc.putAttachment({ id: 'photo.png', type: 'image/png', data: createBlob(photo as never, 'image/png') });
    const latest = doc.getLatest();
    await latest.putAttachment({ id: 'note.txt', type: 'text/plain', data: createBlob('hello', 'text/plain') });
    const current = latest.getLatest();
    expect(current.allAttachments().map((attachment) => attachment.id).sort()).toEqual(['note.txt', 'photo.png']);
    const photoAttachment = current.getAttachment('photo.png')!;
    expect(photoAttachment.length).toBe(1000);
    expect(new Uint8Array(await (await photoAttachment.getData()).arrayBuffer())).toEqual(photo);
    expect(await current.getAttachment('note.txt')!.getStringData()).toBe('hello');
    await current.getAttachment('note.txt')!.remove();
    expect(current.getLatest().allAttachments().map((attachment) => attachment.id)).toEqual(['photo.png']);
  });

  it('keeps attachments when the database is closed and created again', async () => {
    const name = uniqueName('attkept');
    const first = await visitors(storage, name);
    const doc = await first.collection.insert({ id: 'a', name: 'A', visits: 1 });
    await doc.putAttachment({ id: 'finger', type: 'application/octet-stream', data: createBlob('ridge pattern', 'application/octet-stream') });
    await first.db.close();
    const second = await visitors(storage, name);
    const again = await second.collection.findOne('a').exec(true);
    expect(await again.getAttachment('finger')!.getStringData()).toBe('ridge pattern');
  });

  it('loses the attachments of a removed document', async () => {
    const { collection } = await visitors(storage);
    const doc = await collection.insert({ id: 'a', name: 'A', visits: 1 });
    const withAttachment = await doc.putAttachment({ id: 'x', type: 'text/plain', data: createBlob('bytes', 'text/plain') });
    const { digest } = withAttachment;
    await doc.getLatest().remove();
    await expect((async () => collection.storageInstance.getAttachmentData('a', 'x', digest))()).rejects.toThrow();
  });
});

describe.each(targets)('schema migration on the $name storage', ({ storage }) => {
  it('migrates the stored documents to the new version when the collection is opened, dropping those the strategy drops', async () => {
    const name = uniqueName('migrate');
    const old = await visitors(storage, name);
    await old.collection.bulkInsert([
      { id: 'v2', name: 'Ana Marija Kovač', visits: 3 },
      { id: 'v1', name: 'Edin Hodžić', visits: 1 },
      { id: 'v3', name: 'Nikola Petrović', visits: 0 },
    ]);
    await old.db.close();

    const db = await database(storage, name);
    const { visitors: migrated } = await db.addCollections({ visitors: { schema: visitorSchemaV1, migrationStrategies: { 1: splitName } } });
    const docs = await migrated!.find({ sort: [{ id: 'asc' }] }).exec();
    expect(docs.map((doc) => doc.toJSON())).toEqual([
      { id: 'v1', surname: 'Hodžić', givenNames: 'Edin', visits: 1 },
      { id: 'v2', surname: 'Kovač', givenNames: 'Ana Marija', visits: 3 },
    ]);
    expect(await migrated!.count().exec()).toBe(2);
    // The version 0 data is removed once migrated.
    const version0 = await open<Visitor>(storage, fillWithDefaultSettings(visitorSchema), { databaseName: name, collectionName: 'visitors' });
    expect(await version0.findDocumentsById(['v1', 'v2', 'v3'], true)).toEqual([]);
  });

  it('carries attachments over to the new version', async () => {
    const name = uniqueName('migatt');
    const old = await visitors(storage, name);
    const doc = await old.collection.insert({ id: 'v1', name: 'Edin Hodžić', visits: 1 });
    await doc.putAttachment({ id: 'photo', type: 'image/jpeg', data: createBlob('jpeg bytes', 'image/jpeg') });
    await old.db.close();

    const db = await database(storage, name);
    const { visitors: migrated } = await db.addCollections({ visitors: { schema: visitorSchemaV1, migrationStrategies: { 1: splitName } } });
    const after = await migrated!.findOne('v1').exec(true);
    expect(await after.getAttachment('photo')!.getStringData()).toBe('jpeg bytes');
  });

  it('migrates a few hundred documents with an asynchronous strategy', async () => {
    const name = uniqueName('migmany');
    const old = await visitors(storage, name);
    await old.collection.bulkInsert(Array.from({ length: 400 }, (_, i) => ({ id: `m${String(i).padStart(3, '0')}`, name: `Given${i} Family${i}`, visits: (i % 5) + 1 })));
    await old.db.close();

    const db = await database(storage, name);
    const { visitors: migrated } = await db.addCollections({ visitors: { schema: visitorSchemaV1, migrationStrategies: { 1: async (v: Visitor) => splitName(v) } } });
    expect(await migrated!.count().exec()).toBe(400);
    expect((await migrated!.findOne('m123').exec(true)).toJSON()).toEqual({ id: 'm123', surname: 'Family123', givenNames: 'Given123', visits: 4 });
  });
});
