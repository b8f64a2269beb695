import type Database from 'better-sqlite3-multiple-ciphers';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import type { RxDocumentData } from 'rxdb';
import { afterEach, describe, expect, it } from 'vitest';
import { journaledBulkMinimum } from './protocol';
import { quoteIdentifier, tableLayoutFor } from './sql/table-layout';
import { databaseFileName } from './storage';
import { openInstance, prepared, sqliteStorage, stored, tempStoreDirectory, testKey, traveller, travellerSchema } from './storage-test-support';
import { CollectionStore } from './worker/collection-store';
import { openDatabase, syncWal } from './worker/open-database';

/**
 * Large bulks of new documents are acknowledged once they are in the collection's journal
 * and filed into its table right after (CollectionStore.bulkInsertNew).
 */
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const layout = tableLayoutFor('travellers', travellerSchema);
const bulkSize = journaledBulkMinimum + 20;

function newTravellers(prefix: string, count = bulkSize) {
  return Array.from({ length: count }, (_, n) => stored(traveller({ id: `${prefix}-${n}`, surname: `SURNAME${n}`, age: n % 90 })));
}

/** A bulk as the main thread sends it (SqliteStorageInstance.bulkWrite). */
function bytesOf(documents: unknown[]): Uint8Array {
  return serialize(documents);
}

function rowCounts(db: Database.Database): { journal: number; docs: number } {
  return {
    journal: db.prepare(`SELECT count(*) FROM ${quoteIdentifier(layout.journalTable)}`).pluck().get() as number,
    docs: db.prepare(`SELECT count(*) FROM ${quoteIdentifier(layout.docsTable)}`).pluck().get() as number,
  };
}

function openStore(file: string): { db: Database.Database; store: CollectionStore } {
  const db = openDatabase(file, testKey);
  closers.push(() => {
    if (db.open) db.close();
  });
  return { db, store: new CollectionStore(db, 'travellers', travellerSchema as unknown as ConstructorParameters<typeof CollectionStore>[2]) };
}

describe('the bulk journal', () => {
  it('acknowledges a bulk of new documents once it is in the journal, and files it into the table after', () => {
    const { db, store } = openStore(join(tempStoreDirectory(), 'journal.sqlite'));
    const documents = newTravellers('j');
    expect(store.bulkInsertNew(documents.map((doc) => doc.id), bytesOf(documents), 'test')).toBe('[]');
    expect(rowCounts(db)).toEqual({ journal: 1, docs: 0 });
    expect(store.hasJournal).toBe(true);

    store.fileJournal();
    expect(rowCounts(db)).toEqual({ journal: 0, docs: bulkSize });
    expect(store.hasJournal).toBe(false);
    expect(JSON.parse(store.findByIds(['j-7'], false))).toEqual([documents[7]]);
    // Filed with their index columns: the age index finds them.
    expect(store.count({ selector: { age: 7, _deleted: false }, sort: [{ id: 'asc' }], skip: 0 } as never)).toBe(2);
  });

  it('marks a filed bulk for the idle flush of the WAL, which a write at FULL does not need', () => {
    const file = join(tempStoreDirectory(), 'journal.sqlite');
    const { db, store } = openStore(file);
    const documents = newTravellers('u');
    store.bulkWrite([{ document: documents[0] as unknown as RxDocumentData<Record<string, unknown>> }], 'test');
    expect(store.takeUnsyncedWrites()).toBe(false);

    store.bulkInsertNew(documents.slice(1).map((doc) => doc.id), bytesOf(documents.slice(1)), 'test');
    expect(store.takeUnsyncedWrites()).toBe(false);
    store.fileJournal();
    expect(store.takeUnsyncedWrites()).toBe(true);
    expect(store.takeUnsyncedWrites()).toBe(false);

    expect(existsSync(`${file}-wal`)).toBe(true);
    syncWal(db);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(rowCounts(db)).toEqual({ journal: 0, docs: bulkSize });
    // Without a WAL (the file closed, SQLite removed it) there is nothing to flush.
    db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(() => syncWal(db)).not.toThrow();
  });

  it('files a journal left by a crash (the app stopped before filing) when the collection next opens', () => {
    const file = join(tempStoreDirectory(), 'journal.sqlite');
    const first = openStore(file);
    const documents = newTravellers('crash');
    first.store.bulkInsertNew(documents.map((doc) => doc.id), bytesOf(documents), 'test');
    first.db.close();

    const again = openStore(file);
    expect(rowCounts(again.db)).toEqual({ journal: 0, docs: bulkSize });
    expect(again.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('files a journal row written by an earlier version, whose bulks were JSON text', () => {
    const file = join(tempStoreDirectory(), 'journal.sqlite');
    const first = openStore(file);
    const documents = newTravellers('old');
    first.db.prepare(`INSERT INTO ${quoteIdentifier(layout.journalTable)} (documents) VALUES (?)`).run(Buffer.from(JSON.stringify(documents), 'utf8'));
    first.db.close();

    const again = openStore(file);
    expect(rowCounts(again.db)).toEqual({ journal: 0, docs: bulkSize });
    expect(JSON.parse(again.store.findByIds(['old-9'], false))).toEqual([documents[9]]);
  });

  it('writes a bulk the ordinary way, nothing through the journal, when one of its ids is stored or repeated', () => {
    const { db, store } = openStore(join(tempStoreDirectory(), 'journal.sqlite'));
    const documents = newTravellers('k');
    store.bulkWrite([{ document: documents[3] as unknown as RxDocumentData<Record<string, unknown>> }], 'test');

    const before = JSON.parse(store.bulkInsertNew(documents.map((doc) => doc.id), bytesOf(documents), 'test')) as { id: string }[];
    // The stored document comes back, as from bulkWrite, for the conflict; the others are written.
    expect(before.map((doc) => doc.id)).toEqual(['k-3']);
    expect(rowCounts(db)).toEqual({ journal: 0, docs: bulkSize });

    // RxDB never sends an id twice in one bulk; should it, the bulk fails whole, as bulkWrite does.
    const twice = newTravellers('t');
    twice[5] = { ...twice[5]!, id: 't-0' };
    expect(() => store.bulkInsertNew(twice.map((doc) => doc.id), bytesOf(twice), 'test')).toThrow(/UNIQUE/);
    expect(rowCounts(db)).toEqual({ journal: 0, docs: bulkSize });
  });

  it('through the storage: a conflict in a large bulk is a 409 with the stored document, and every read sees the bulk at once', async () => {
    const directory = tempStoreDirectory();
    const instance = await openInstance(sqliteStorage(directory), travellerSchema);
    closers.push(() => instance.close());
    await instance.bulkWrite([{ document: stored(traveller({ id: 'taken', surname: 'FIRST' })) }], 'test');

    const documents = newTravellers('s');
    const result = await instance.bulkWrite(documents.map((document) => ({ document })), 'test');
    expect(result.error).toEqual([]);
    // Asked right after the answer: the worker files the journal before it serves a read.
    expect((await instance.count(prepared(travellerSchema, { selector: { age: { $lt: 5 } } }))).count).toBe(10);
    expect((await instance.getChangedDocumentsSince!(1000)).documents.length).toBe(bulkSize + 1);

    const clash = newTravellers('c');
    clash[0] = stored(traveller({ id: 'taken', surname: 'SECOND' }));
    const conflicted = await instance.bulkWrite(clash.map((document) => ({ document })), 'test');
    expect(conflicted.error.map((error) => [error.documentId, error.status, (error as { documentInDb?: { surname: string } }).documentInDb?.surname])).toEqual([['taken', 409, 'FIRST']]);
    expect((await instance.query(prepared(travellerSchema, { selector: { id: { $gte: 'c-' } }, sort: [{ id: 'asc' }] }))).documents.filter((doc) => doc.id.startsWith('c-')).length).toBe(bulkSize - 1);

    await instance.close();
    closers.length = 0;
    const db = openDatabase(join(directory, databaseFileName('station')), testKey, { readOnly: true });
    try {
      expect(rowCounts(db)).toEqual({ journal: 0, docs: 2 * bulkSize });
    } finally {
      db.close();
    }
  });
});
