import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fromOrderKey, fromOrderKeyHex, orderKey, orderKeyFromUtf16, quoteIdentifier, tableLayoutFor } from './sql/table-layout';
import { restoreStationDatabase } from './backup';
import { databaseFileName } from './storage';
import { openInstance, prepared, sqliteStorage, stored, tempStoreDirectory, testKey, traveller, travellerSchema, type Traveller } from './storage-test-support';
import { applyKey, newFilePageSize, openDatabase } from './worker/open-database';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Strings whose UTF-8 order differs from JavaScript's: a character above U+FFFF against one just below. */
const awkward = ['a', 'ab', 'b', '\u00e9', '\uffee', '\u{1f600}', '\u{1f600}x', '\ud800', 'z\u0000', ''];

describe('order keys', () => {
  it('order as JavaScript orders strings, and give the string back', () => {
    const byKey = [...awkward].sort((a, b) => Buffer.compare(orderKey(a), orderKey(b)));
    expect(byKey).toEqual([...awkward].sort());
    for (const value of awkward) expect(fromOrderKey(orderKey(value))).toBe(value);
  });

  it('give the string back from their hexadecimal, also after a longer key and behind a marker', () => {
    const long = '\u{1f600}'.repeat(300) + '\ud800x';
    for (const value of [long, ...awkward, long]) {
      expect(fromOrderKeyHex(orderKey(value).toString('hex'))).toBe(value);
      expect(fromOrderKeyHex(`\uffff${orderKey(value).toString('hex').toUpperCase()}`, 1)).toBe(value);
      expect(fromOrderKey(orderKey(value))).toBe(value);
    }
  });

  it('are the UTF-8 bytes of a string without surrogates: one byte per ASCII character', () => {
    expect(orderKey('L898902C3')).toEqual(Buffer.from('L898902C3'));
    expect(orderKey('Đurić').length).toBe(Buffer.byteLength('Đurić'));
  });

  it('are made from a format 3 key (UTF-16BE) for the migration', () => {
    for (const value of awkward) expect(orderKeyFromUtf16(Buffer.from(value, 'utf16le').swap16())).toEqual(orderKey(value));
  });
});

/** Writes a station database the way store format 3 laid it out, with the travellers given. */
function writeFormat3Database(file: string, travellers: Traveller[]): void {
  const layout = tableLayoutFor('travellers', travellerSchema);
  const utf16 = (value: string) => Buffer.from(value, 'utf16le').swap16();
  const db = new Database(file);
  // As versions of that format did.
  applyKey(db, testKey, 'chacha20-passphrase');
  db.pragma('journal_mode = WAL');
  db.pragma(`application_id = ${0x4d495353}`);
  db.pragma('user_version = 3');
  const columns = layout.indexedFields.map((field) => `, ${field.column}`).join('');
  db.exec(`CREATE TABLE ${quoteIdentifier(layout.docsTable)} (id TEXT NOT NULL PRIMARY KEY, id_order BLOB NOT NULL, deleted INTEGER NOT NULL, lwt REAL NOT NULL, rev TEXT NOT NULL, data TEXT NOT NULL${columns})`);
  db.exec(`CREATE INDEX ${quoteIdentifier(`${layout.docsTable}:old`)} ON ${quoteIdentifier(layout.docsTable)} (deleted, id_order)`);
  const insert = db.prepare(`INSERT INTO ${quoteIdentifier(layout.docsTable)} VALUES (${Array(6 + layout.indexedFields.length).fill('?').join(', ')})`);
  for (const person of travellers) {
    const doc = stored(person) as unknown as Record<string, unknown> & { _meta: { lwt: number }; _rev: string };
    const fields = layout.indexedFields.map(({ path, type }) => {
      const value = doc[path];
      if (type === 'string') return utf16(value as string);
      return type === 'boolean' ? Number(value) : (value as number);
    });
    insert.run(person.id, utf16(person.id), 0, doc._meta.lwt, doc._rev, JSON.stringify(doc), ...fields);
  }
  db.close();
}

describe('ids read back by a query', () => {
  it('are the ids written, in JavaScript order, whatever their characters (read as text, or decoded where the key has 0xED or starts with U+FFFF)', async () => {
    const ids = [...awkward.filter((id) => id !== ''), '\uffff', '\uffffstart', '\ud7ff', 'x\ud55c', 'plain-uuid-0192'];
    const instance = await openInstance(sqliteStorage(), travellerSchema);
    closers.push(() => instance.close());
    await instance.bulkWrite(ids.map((id) => ({ document: stored(traveller({ id })) })), 'test');
    const query = prepared(travellerSchema, { selector: {}, sort: [{ id: 'asc' }] });
    expect((await instance.query(query)).documents.map((doc) => doc.id)).toEqual([...ids].sort());
  });
});

describe('store format 4', () => {
  it('brings a format 3 database up to date on opening: every document, in JavaScript order, found through the indexes', async () => {
    const directory = tempStoreDirectory();
    const surnames = ['ZOLA', '\u{1f600}SMILE', '\uffeeHALF', 'ÅNGSTRÖM', 'ERIKSSON'];
    const travellers = surnames.map((surname, i) => traveller({ id: `${surname}-${i}`, surname, age: 30 + i, documentNumber: `D${i}` }));
    writeFormat3Database(join(directory, databaseFileName('station')), travellers);

    const instance = await openInstance(sqliteStorage(directory), travellerSchema);
    closers.push(() => instance.close());
    const bySurname = await instance.query(prepared(travellerSchema, { selector: {}, sort: [{ surname: 'asc' }, { age: 'asc' }] }));
    expect(bySurname.documents.map((doc) => doc.surname)).toEqual([...surnames].sort());
    const found = await instance.findDocumentsById([travellers[1]!.id], false);
    expect(found.map((doc) => doc.surname)).toEqual(['\u{1f600}SMILE']);
    const older = await instance.query(prepared(travellerSchema, { selector: { age: { $gte: 33 } }, sort: [{ age: 'asc' }] }));
    expect(older.documents.map((doc) => doc.age)).toEqual([33, 34]);
    // A write after the migration: the id stays unique.
    const again = await instance.bulkWrite([{ document: stored(travellers[0]!) }], 'test');
    expect(again.error.map((error) => error.status)).toEqual([409]);

    const db = openDatabase(join(directory, databaseFileName('station')), testKey, { readOnly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(5);
      const table = quoteIdentifier(tableLayoutFor('travellers', travellerSchema).docsTable);
      expect((db.prepare(`SELECT name FROM pragma_table_info('${tableLayoutFor('travellers', travellerSchema).docsTable}')`).pluck().all() as string[]).slice(0, 2)).toEqual(['id_order', 'deleted']);
      const keys = db.prepare(`SELECT id_order FROM ${table} ORDER BY id_order`).pluck().all() as Buffer[];
      expect(keys.map(fromOrderKey)).toEqual(travellers.map((person) => person.id).sort());
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // A file made with 4 KB pages keeps them: only new files get newFilePageSize.
      expect(db.pragma('page_size', { simple: true })).toBe(4096);
    } finally {
      db.close();
    }
  });

  it('makes a new file with 8 KB pages, encrypted from its first page', async () => {
    const directory = tempStoreDirectory();
    const instance = await openInstance(sqliteStorage(directory), travellerSchema);
    await instance.bulkWrite([{ document: stored(traveller({ id: 'paged' })) }], 'test');
    await instance.close();
    const db = openDatabase(join(directory, databaseFileName('station')), testKey, { readOnly: true });
    try {
      expect(newFilePageSize).toBe(8192);
      expect(db.pragma('page_size', { simple: true })).toBe(newFilePageSize);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    expect(() => openDatabase(join(directory, databaseFileName('station')), null, { readOnly: true })).toThrow(/encrypted and no key was given/);
  });

  it('brings a format 4 file (no journals) to format 5 when the app opens it; a read-only open reads it as it is', async () => {
    const directory = tempStoreDirectory();
    const file = join(directory, databaseFileName('station'));
    const first = await openInstance(sqliteStorage(directory), travellerSchema);
    await first.bulkWrite([{ document: stored(traveller({ id: 'from-format-4', surname: 'FOUR' })) }], 'test');
    await first.close();
    // What format 4 left: the same tables without the journal, and its number.
    const db = new Database(file);
    applyKey(db, testKey);
    db.exec(`DROP TABLE ${quoteIdentifier(tableLayoutFor('travellers', travellerSchema).journalTable)}`);
    db.pragma('user_version = 4');
    db.close();

    const readOnly = openDatabase(file, testKey, { readOnly: true });
    expect(readOnly.pragma('user_version', { simple: true })).toBe(4);
    readOnly.close();

    const instance = await openInstance(sqliteStorage(directory), travellerSchema);
    closers.push(() => instance.close());
    expect((await instance.findDocumentsById(['from-format-4'], false)).map((doc) => doc.surname)).toEqual(['FOUR']);
    const after = openDatabase(file, testKey, { readOnly: true });
    try {
      expect(after.pragma('user_version', { simple: true })).toBe(5);
      expect(after.prepare('SELECT count(*) FROM sqlite_schema WHERE name = ?').pluck().get(tableLayoutFor('travellers', travellerSchema).journalTable)).toBe(1);
    } finally {
      after.close();
    }
  });

  it('refuses a file of a later format, changing nothing', () => {
    const directory = tempStoreDirectory();
    const file = join(directory, databaseFileName('station'));
    writeFormat3Database(file, [traveller({ id: 'later' })]);
    const db = new Database(file);
    applyKey(db, testKey, 'chacha20-passphrase');
    db.pragma('user_version = 6');
    db.close();
    expect(() => openDatabase(file, testKey)).toThrow(/store format 6; this version reads format 5\). Nothing was changed\.$/);
  });

  it('restores a backup taken by a format 3 version, which the app then brings up to date', async () => {
    const directory = tempStoreDirectory();
    const backup = join(tempStoreDirectory(), 'backup.sqlite');
    writeFormat3Database(backup, [traveller({ id: 'from-backup', surname: 'BACKUP' })]);
    restoreStationDatabase(join(directory, databaseFileName('station')), testKey, backup, join(directory, 'station.lock'));
    const instance = await openInstance(sqliteStorage(directory), travellerSchema);
    closers.push(() => instance.close());
    expect((await instance.findDocumentsById(['from-backup'], false)).map((doc) => doc.surname)).toEqual(['BACKUP']);
  });

  it('refuses a format 3 database opened read-only (a verification or a diagnostics run), changing nothing', () => {
    const directory = tempStoreDirectory();
    const file = join(directory, databaseFileName('station'));
    writeFormat3Database(file, [traveller({ id: 'one' })]);
    expect(() => openDatabase(file, testKey, { readOnly: true })).toThrow(/store format 3; this version reads format 5\). Nothing was changed. Open it once with the station app/);
    const db = new Database(file);
    applyKey(db, testKey, 'chacha20-passphrase');
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    db.close();
  });
});
