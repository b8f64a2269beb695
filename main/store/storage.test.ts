import { readdirSync } from 'node:fs';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { createBlob, type RxDocumentData, type RxStorageInstance } from 'rxdb';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteStorageInstance } from './instance';
import { openInstance, prepared, sqliteStorage, stored, tempStoreDirectory, traveller, travellerSchema, type Traveller } from './storage-test-support';

type Instance = RxStorageInstance<Traveller, unknown, unknown>;
const open: Instance[] = [];
// One storage (one worker) for the file; each test gets a database of its own.
const sharedStorage = sqliteStorage();
let databases = 0;

async function fresh(storage = sharedStorage): Promise<Instance> {
  const instance = await openInstance(storage, travellerSchema, `station-${++databases}`);
  open.push(instance);
  return instance;
}

async function insert(instance: Instance, ...travellers: Traveller[]): Promise<RxDocumentData<Traveller>[]> {
  const docs = travellers.map((t) => stored(t));
  const result = await instance.bulkWrite(docs.map((document) => ({ document })), 'test');
  expect(result.error).toEqual([]);
  return docs;
}

async function find(instance: Instance, query: Parameters<typeof prepared<Traveller>>[1]): Promise<string[]> {
  const result = await instance.query(prepared(travellerSchema, query));
  return result.documents.map((doc) => doc.id);
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((instance) => instance.close().catch(() => undefined)));
});

describe('the SQLite storage: writes', () => {
  it('inserts documents and finds them by id', async () => {
    const instance = await fresh();
    const [a, b] = await insert(instance, traveller({ id: 'a' }), traveller({ id: 'b' }));
    const found = await instance.findDocumentsById(['a', 'b', 'missing'], false);
    expect(found.sort((x, y) => x.id.localeCompare(y.id))).toEqual([a, b]);
  });

  it('refuses to insert a document whose id exists, returning the stored one', async () => {
    const instance = await fresh();
    const [original] = await insert(instance, traveller({ id: 'a', surname: 'FIRST' }));
    const result = await instance.bulkWrite([{ document: stored(traveller({ id: 'a', surname: 'SECOND' })) }], 'test');
    expect(result.error).toHaveLength(1);
    expect(result.error[0]).toMatchObject({ status: 409, documentId: 'a', documentInDb: original });
  });

  it('updates with the right previous revision and refuses a stale one', async () => {
    const instance = await fresh();
    const [v1] = await insert(instance, traveller({ id: 'a', age: 30 }));
    const v2 = stored({ ...traveller({ id: 'a', age: 31 }) }, v1!);
    expect((await instance.bulkWrite([{ previous: v1!, document: v2 }], 'test')).error).toEqual([]);
    const stale = await instance.bulkWrite([{ previous: v1!, document: stored(traveller({ id: 'a', age: 99 }), v1!) }], 'test');
    expect(stale.error[0]).toMatchObject({ status: 409, documentInDb: v2 });
    expect((await instance.findDocumentsById(['a'], false))[0]!.age).toBe(31);
  });

  it('writes the good rows of a bulk and reports only the conflicting ones', async () => {
    const instance = await fresh();
    await insert(instance, traveller({ id: 'taken' }));
    const result = await instance.bulkWrite([{ document: stored(traveller({ id: 'new-1' })) }, { document: stored(traveller({ id: 'taken' })) }, { document: stored(traveller({ id: 'new-2' })) }], 'test');
    expect(result.error.map((e) => e.documentId)).toEqual(['taken']);
    expect((await instance.findDocumentsById(['new-1', 'new-2'], false)).length).toBe(2);
  });

  it('keeps deleted documents out of normal reads but returns them when asked', async () => {
    const instance = await fresh();
    const [v1] = await insert(instance, traveller({ id: 'a' }));
    await instance.bulkWrite([{ previous: v1!, document: stored(traveller({ id: 'a' }), v1!, true) }], 'test');
    expect(await instance.findDocumentsById(['a'], false)).toEqual([]);
    expect((await instance.findDocumentsById(['a'], true))[0]?._deleted).toBe(true);
    expect(await find(instance, { selector: { _deleted: false } as never })).toEqual([]);
    expect(await find(instance, { selector: {} })).toEqual(['a']);
  });

  it('emits one event bulk per write, with the checkpoint of its newest document', async () => {
    const instance = await fresh();
    const next = firstValueFrom(instance.changeStream().pipe(filter((bulk) => bulk.events.length > 0)));
    const docs = await insert(instance, traveller({ id: 'a' }), traveller({ id: 'b' }));
    const bulk = await next;
    expect(bulk.events.map((e) => [e.documentId, e.operation])).toEqual([
      ['a', 'INSERT'],
      ['b', 'INSERT'],
    ]);
    expect(bulk.checkpoint).toEqual({ id: 'b', lwt: docs[1]!._meta.lwt });
    const deletion = firstValueFrom(instance.changeStream());
    await instance.bulkWrite([{ previous: docs[0]!, document: stored(traveller({ id: 'a' }), docs[0]!, true) }], 'test');
    expect((await deletion).events[0]).toMatchObject({ documentId: 'a', operation: 'DELETE' });
  });

  it('emits nothing for a bulk that only conflicted', async () => {
    const instance = await fresh();
    await insert(instance, traveller({ id: 'a' }));
    const events: unknown[] = [];
    const subscription = instance.changeStream().subscribe((bulk) => events.push(bulk));
    await instance.bulkWrite([{ document: stored(traveller({ id: 'a' })) }], 'test');
    subscription.unsubscribe();
    expect(events).toEqual([]);
  });
});

describe('the SQLite storage: bulk loads', () => {
  it('imports a page of JSON as inserts, with change events, and refuses a page with a document it has', async () => {
    const instance = (await fresh()) as unknown as SqliteStorageInstance<Traveller>;
    const events: string[] = [];
    instance.changeStream().subscribe((bulk) => events.push(...bulk.events.map((event) => `${event.operation} ${event.documentId}`)));
    const page = [traveller({ id: 'imp-1' }), traveller({ id: 'imp-2' }), { ...traveller({ id: 'imp-gone' }), _deleted: true }].map((t) => ({ _deleted: false, ...t }));
    expect(await instance.importPage(JSON.stringify({ documents: page, checkpoint: { sequence: 3 } }), page, '1-importtest')).toBe(true);
    // Deleted on the server and never here: not stored.
    expect((await instance.findDocumentsById(['imp-1', 'imp-2', 'imp-gone'], true)).map((doc) => [doc.id, doc._rev])).toEqual([['imp-1', '1-importtest'], ['imp-2', '1-importtest']]);
    expect(events).toEqual(['INSERT imp-1', 'INSERT imp-2']);
    // As stored (cleanup empties the main thread's cache, so the worker reads the rows).
    await instance.cleanup(0);
    const storedFirst = (await instance.findDocumentsById(['imp-1'], true))[0];
    expect(storedFirst).toEqual({ ...traveller({ id: 'imp-1' }), _deleted: false, _attachments: {}, _meta: { lwt: storedFirst!._meta.lwt }, _rev: '1-importtest' });
    // A document with a storage field of its own (no server sends one) is stored through its parse: the storage's fields win.
    const odd = [{ ...traveller({ id: 'imp-odd' }), _deleted: false, _rev: '9-fromthewire' }];
    expect(await instance.importPage(JSON.stringify({ documents: odd }), odd, '1-importtest')).toBe(true);
    await instance.cleanup(0);
    expect((await instance.findDocumentsById(['imp-odd'], true))[0]?._rev).toBe('1-importtest');

    const again = [traveller({ id: 'imp-3' }), traveller({ id: 'imp-1', surname: 'CHANGED' })].map((t) => ({ _deleted: false, ...t }));
    expect(await instance.importPage(JSON.stringify({ documents: again }), again, '1-importtest')).toBe(false);
    expect(await instance.findDocumentsById(['imp-3'], true)).toEqual([]);
    expect((await instance.findDocumentsById(['imp-1'], true))[0]?.surname).not.toBe('CHANGED');
    expect(events).toEqual(['INSERT imp-1', 'INSERT imp-2', 'INSERT imp-odd']);
  });

  it('answers queries without its indexes during a load, and uses them again after', async () => {
    const instance = (await fresh()) as unknown as SqliteStorageInstance<Traveller>;
    await insert(instance as never, ...Array.from({ length: 300 }, (_, n) => traveller({ id: `d-${n}`, documentNumber: `X${n}` })));
    const byNumber = prepared(travellerSchema, { selector: { documentNumber: 'X2' } });
    await instance.deferIndexes(true);
    expect((await instance.query(byNumber as never)).documents.map((doc) => doc.id)).toEqual(['d-2']);
    expect((await instance.explain(byNumber as never)).join(' ')).not.toMatch(/INDEX .*documentNumber/);
    await instance.deferIndexes(false);
    expect((await instance.query(byNumber as never)).documents.map((doc) => doc.id)).toEqual(['d-2']);
    expect((await instance.explain(byNumber as never)).join(' ')).toMatch(/INDEX .*documentNumber/);
  });

  it('keeps one row per id while the ids are not indexed: a page with an id it has is refused', async () => {
    const instance = (await fresh()) as unknown as SqliteStorageInstance<Traveller>;
    const [gone] = await insert(instance as never, traveller({ id: 'was-deleted' }));
    await instance.bulkWrite([{ previous: gone!, document: stored(traveller({ id: 'was-deleted' }), gone, true) }], 'test');
    const asWire = (...ids: string[]) => ids.map((id) => ({ _deleted: false, ...traveller({ id }) }));
    const importing = async (...ids: string[]) => {
      const page = asWire(...ids);
      return instance.importPage(JSON.stringify({ documents: page }), page, '1-bulkload');
    };
    await instance.deferIndexes(true);
    expect((await instance.explain(prepared(travellerSchema, { selector: { id: 'first' } }) as never)).join(' ')).toMatch(/SCAN/);
    expect(await importing('first', 'second')).toBe(true);
    // Written the ordinary way during the load (the fallback for a refused page).
    await insert(instance as never, traveller({ id: 'ordinary' }));
    expect(await importing('third', 'first')).toBe(false);
    expect(await importing('fourth', 'was-deleted')).toBe(false);
    expect(await importing('fifth', 'ordinary')).toBe(false);
    expect(await importing('sixth', 'sixth')).toBe(false);
    expect(await importing('seventh')).toBe(true);
    await instance.deferIndexes(false);
    const all = await instance.query(prepared(travellerSchema, { selector: {}, sort: [{ id: 'asc' }] }) as never);
    expect(all.documents.map((doc) => doc.id)).toEqual(['first', 'ordinary', 'second', 'seventh', 'was-deleted']);
    expect((await instance.explain(prepared(travellerSchema, { selector: { id: 'first' } }) as never)).join(' ')).toMatch(/USING (COVERING )?INDEX .*:id/);
    // The unique index is back: the ids stay one row each.
    expect(await importing('first')).toBe(false);
    expect(await instance.integrityCheck()).toEqual(['ok']);
  });
});

describe('the SQLite storage: queries', () => {
  const people = [
    traveller({ id: 'p1', surname: 'ADAMS', age: 30, vip: true, tags: ['x'] }),
    traveller({ id: 'p2', surname: 'BAKER', age: 30, nickname: 'bee' }),
    traveller({ id: 'p3', surname: 'ĐURIĆ', age: 45, documentNumber: 'X1', issuingState: 'BIH' }),
    traveller({ id: 'p4', surname: 'ADAMS', age: 12, documentNumber: 'X2', issuingState: 'SRB' }),
    traveller({ id: 'p5', surname: 'CLARK', age: 70, vip: true, nickname: 'cee', tags: ['x', 'y'] }),
  ];
  let instance: Instance;
  const setup = async () => {
    instance = await fresh();
    await insert(instance, ...people);
  };

  it.each([
    ['equality', { surname: 'ADAMS' }, ['p1', 'p4']],
    ['a range', { age: { $gte: 30, $lt: 70 } }, ['p1', 'p2', 'p3']],
    ['$in', { surname: { $in: ['BAKER', 'CLARK'] } }, ['p2', 'p5']],
    ['$nin', { surname: { $nin: ['ADAMS', 'CLARK'] } }, ['p2', 'p3']],
    ['$ne on an optional field (missing counts as different)', { nickname: { $ne: 'bee' } }, ['p1', 'p3', 'p4', 'p5']],
    ['$exists', { nickname: { $exists: true } }, ['p2', 'p5']],
    ['$exists false', { nickname: { $exists: false } }, ['p1', 'p3', 'p4']],
    ['a boolean', { vip: true }, ['p1', 'p5']],
    ['$or', { $or: [{ age: { $lt: 20 } }, { surname: 'CLARK' }] }, ['p4', 'p5']],
    ['$nor', { $nor: [{ age: { $lt: 20 } }, { surname: 'CLARK' }] }, ['p1', 'p2', 'p3']],
    ['$not on an optional field', { nickname: { $not: { $eq: 'bee' } } }, ['p1', 'p3', 'p4', 'p5']],
    ['a diacritic as typed', { surname: 'ĐURIĆ' }, ['p3']],
    ['$regex (in JS)', { surname: { $regex: '^A' } }, ['p1', 'p4']],
    ['an array field (in JS)', { tags: 'y' }, ['p5']],
    ['a type mismatch (never matches, as in Mango)', { age: { $gt: '20' } }, []],
    ['$regex with an indexed range (SQL narrows, JS finishes)', { age: { $gt: 20 }, surname: { $regex: 'A' } }, ['p1', 'p2', 'p5']],
  ])('selects by %s', async (_name, selector, expected) => {
    await setup();
    expect((await find(instance, { selector: selector as never, sort: [{ id: 'asc' }] })).sort()).toEqual(expected);
  });

  it('sorts on several fields, breaking ties by id', async () => {
    await setup();
    expect(await find(instance, { selector: {}, sort: [{ age: 'desc' }, { surname: 'asc' }] })).toEqual(['p5', 'p3', 'p1', 'p2', 'p4']);
    expect(await find(instance, { selector: {}, sort: [{ age: 'asc' }] })).toEqual(['p4', 'p1', 'p2', 'p3', 'p5']);
  });

  it('sorts on an optional field in JS, as RxDB does', async () => {
    await setup();
    const memoryOrder = ['p1', 'p3', 'p4', 'p2', 'p5'];
    expect(await find(instance, { selector: {}, sort: [{ nickname: 'asc' }, { id: 'asc' }] })).toEqual(memoryOrder);
  });

  it('pages with skip and limit, in SQL and after JS filtering', async () => {
    await setup();
    expect(await find(instance, { selector: {}, sort: [{ age: 'asc' }], skip: 1, limit: 2 })).toEqual(['p1', 'p2']);
    expect(await find(instance, { selector: { surname: { $regex: '[AB]' } }, sort: [{ age: 'asc' }], skip: 1, limit: 2 })).toEqual(['p1', 'p2']);
    expect(await find(instance, { selector: {}, sort: [{ age: 'asc' }], limit: 0 })).toEqual([]);
  });

  it('counts with and without JS filtering', async () => {
    await setup();
    expect((await instance.count(prepared(travellerSchema, { selector: { age: 30 } }))).count).toBe(2);
    expect((await instance.count(prepared(travellerSchema, { selector: { surname: { $regex: 'A' } } }))).count).toBe(4);
  });

  it('looks a document number up through its index', async () => {
    await setup();
    const plan = await (instance as unknown as SqliteStorageInstance<Traveller>).explain(prepared(travellerSchema, { selector: { _deleted: false, documentNumber: 'X1', issuingState: 'BIH' } as never }));
    expect(plan.join('\n')).toMatch(/SEARCH .* USING (COVERING )?INDEX .*documentNumber,issuingState/);
    expect(await find(instance, { selector: { documentNumber: 'X1', issuingState: 'BIH' } })).toEqual(['p3']);
  });

  it('sorts pinpointed matches after finding them through their index, unless that index gives their order too', async () => {
    await setup();
    await insert(instance, traveller({ id: 'p6', surname: 'ADAMS', age: 41 }), traveller({ id: 'p7', surname: 'ADAMS', age: 41 }));
    const plan = async (query: object) => (await (instance as unknown as SqliteStorageInstance<Traveller>).explain(prepared(travellerSchema, query) as never)).join('\n');
    // Another index (age) would give the order, walking every document: found by number, then sorted.
    const byNumber = await plan({ selector: { _deleted: false, documentNumber: 'X1', issuingState: 'BIH' }, sort: [{ age: 'asc' }] });
    expect(byNumber).toMatch(/SEARCH .* USING (COVERING )?INDEX .*documentNumber,issuingState/);
    expect(byNumber).toMatch(/TEMP B-TREE/);
    // (surname, age) finds the surname and gives the ages in order: nothing to sort, in either direction.
    for (const direction of ['asc', 'desc'] as const) {
      const bySurname = await plan({ selector: { _deleted: false, surname: 'ADAMS' }, sort: [{ age: direction }, { id: direction }] });
      expect(bySurname).toMatch(/SEARCH .* USING (COVERING )?INDEX .*surname,age/);
      expect(bySurname).not.toMatch(/TEMP B-TREE/);
    }
    expect(await find(instance, { selector: { surname: 'ADAMS' }, sort: [{ age: 'desc' }, { id: 'desc' }] })).toEqual(['p7', 'p6', 'p1', 'p4']);
    expect(await find(instance, { selector: { surname: 'ADAMS' }, sort: [{ age: 'desc' }], limit: 2 })).toEqual(['p6', 'p7']);
    expect(await find(instance, { selector: { surname: 'ADAMS' }, sort: [{ age: 'asc' }], skip: 1 })).toEqual(['p1', 'p6', 'p7']);
  });

  it('uses the index for $in over an indexed field', async () => {
    await setup();
    const plan = await (instance as unknown as SqliteStorageInstance<Traveller>).explain(prepared(travellerSchema, { selector: { _deleted: false, age: { $in: [12, 70] } } as never }));
    expect(plan.join('\n')).toMatch(/SEARCH .* USING (COVERING )?INDEX .*age/);
  });
});

describe('the SQLite storage: changes since a checkpoint', () => {
  it('pages through documents in write order, also across equal write times', async () => {
    const instance = await fresh();
    // Earlier than anything stored() makes, so that 'e' is written last.
    const sameTime = 1_000_000;
    const docs = ['d', 'b', 'a', 'c'].map((id) => ({ ...stored(traveller({ id })), _meta: { lwt: sameTime } }));
    await instance.bulkWrite(docs.map((document) => ({ document })), 'test');
    const later = stored(traveller({ id: 'e' }));
    await instance.bulkWrite([{ document: later }], 'test');

    const seen: string[] = [];
    let checkpoint;
    for (;;) {
      const page = await instance.getChangedDocumentsSince!(2, checkpoint);
      if (page.documents.length === 0) break;
      seen.push(...page.documents.map((doc) => doc.id));
      checkpoint = page.checkpoint;
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('the SQLite storage: attachments', () => {
  it('stores a large fingerprint image and gives it back byte for byte', async () => {
    const instance = await fresh();
    const bytes = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 31) % 251);
    const blob = createBlob(bytes as never, 'image/png');
    const document = { ...stored(traveller({ id: 'with-image' })), _attachments: { finger1: { length: bytes.length, type: 'image/png', digest: 'md5-finger1', data: blob } } };
    expect((await instance.bulkWrite([{ document: document as never }], 'test')).error).toEqual([]);
    const back = await instance.getAttachmentData('with-image', 'finger1', 'md5-finger1');
    expect(back.type).toBe('image/png');
    expect(Buffer.compare(Buffer.from(await back.arrayBuffer()), Buffer.from(bytes))).toBe(0);
    const stripped = (await instance.findDocumentsById(['with-image'], false))[0]!;
    expect(stripped._attachments.finger1).toEqual({ length: bytes.length, type: 'image/png', digest: 'md5-finger1' });
  });

  it('refuses an attachment that does not exist, or has another digest', async () => {
    const instance = await fresh();
    await expect(instance.getAttachmentData('nobody', 'finger1', 'md5-x')).rejects.toMatchObject({ code: 'ATTACHMENT_NOT_FOUND' });
  });
});

describe('the SQLite storage: cleanup, close and remove', () => {
  it('purges documents deleted before the cut-off and keeps the recent ones', async () => {
    const instance = await fresh();
    const [old, recent] = await insert(instance, traveller({ id: 'old' }), traveller({ id: 'recent' }));
    const longAgo = { ...stored(traveller({ id: 'old' }), old!, true), _meta: { lwt: 1_000 } };
    await instance.bulkWrite([{ previous: old!, document: longAgo }], 'test');
    await instance.bulkWrite([{ previous: recent!, document: stored(traveller({ id: 'recent' }), recent!, true) }], 'test');
    expect(await instance.cleanup(60_000)).toBe(true);
    expect((await instance.findDocumentsById(['old', 'recent'], true)).map((d) => d.id)).toEqual(['recent']);
  });

  it('refuses calls after close with a clear code', async () => {
    const instance = await fresh();
    await instance.close();
    await expect(instance.findDocumentsById(['a'], false)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });

  it('deletes the database file when its last collection is removed', async () => {
    const directory = tempStoreDirectory();
    const instance = await fresh(sqliteStorage(directory));
    await insert(instance, traveller());
    expect(readdirSync(directory).filter((name) => name.endsWith('.sqlite'))).toHaveLength(1);
    await instance.remove();
    expect(readdirSync(directory)).toEqual([]);
  });
});
