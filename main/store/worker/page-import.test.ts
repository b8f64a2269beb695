import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fillWithDefaultSettings, type RxDocumentData, type RxJsonSchema } from 'rxdb';
import { afterEach, describe, expect, it } from 'vitest';
import { quoteIdentifier } from '../sql/table-layout';
import { tempStoreDirectory, testKey } from '../storage-test-support';
import { CollectionStore } from './collection-store';
import { openDatabase } from './open-database';

type Doc = RxDocumentData<Record<string, unknown>>;

/** Indexed fields of every kind, one of them nested. */
const schema = fillWithDefaultSettings({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    name: { type: 'string', maxLength: 100 },
    count: { type: 'number', minimum: 0, maximum: 1e9, multipleOf: 1 },
    flag: { type: 'boolean' },
    nested: { type: 'object', properties: { code: { type: 'string', maxLength: 20 } } },
  },
  required: ['id'],
  indexes: ['name', 'count', 'flag', 'nested.code'],
} as RxJsonSchema<Record<string, unknown>>) as RxJsonSchema<Doc>;

/** What a server page may hold: escapes, non-ASCII text, odd numbers, missing fields and values of other types. */
const documents = [
  { id: 'a-1', name: 'ĐURIĆ', count: 3, flag: true, nested: { code: 'BIH' }, _deleted: false },
  { id: 'a-2', name: 'Quote " and backslash \\ and \n newline', count: 1.5e10, flag: false, nested: { code: 'Ђурић' }, extra: [1, -0, 9007199254740992, 1e21, { deep: 'é' }], _deleted: false },
  { id: 'a-3', name: 7, count: '7', flag: 'yes', nested: 'not an object', _deleted: false },
  { id: 'a-4', _deleted: false },
  { id: 'a-gone', name: 'withdrawn', _deleted: true },
  { id: 'z-last', name: '', count: 0, flag: false, nested: { code: '' }, note: 'ends with a brace }', _deleted: false },
];

const files: string[] = [];
afterEach(() => {
  for (const file of files.splice(0)) for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
});

function freshStore(): { store: CollectionStore; rows(): unknown[][]; close(): void } {
  const file = join(tempStoreDirectory(), 'page.sqlite');
  files.push(file);
  const db = openDatabase(file, testKey);
  const store = new CollectionStore(db, 'things', schema);
  return {
    store,
    rows: () => db.prepare(`SELECT * FROM ${quoteIdentifier(store.layout.docsTable)} ORDER BY id_order`).raw().all() as unknown[][],
    close: () => db.close(),
  };
}

/** The rows with each stored JSON parsed: the two paths may write the same JSON with other spacing or escapes. */
const comparable = (rows: unknown[][]) => rows.map(([idKey, deleted, lwt, rev, data, ...fields]) => [idKey, deleted, lwt, rev, JSON.parse(data as string) as unknown, ...fields]);

describe('importing a page', () => {
  it('stores in SQL exactly the rows the JS path stores', () => {
    const page = JSON.stringify({ documents, checkpoint: { sequence: 6 } });
    const lwt = 1796599438376.1235;
    const bySql = freshStore();
    const byJs = freshStore();
    try {
      expect(bySql.store['importPageInSql'](page, lwt, '1-abc')).toBe(true);
      expect(byJs.store['importPageInJs'](page, lwt, '1-abc')).toBe(true);
      const rows = comparable(bySql.rows());
      expect(rows).toEqual(comparable(byJs.rows()));
      expect(rows.map((row) => (row[0] as Buffer).toString())).toEqual(['a-1', 'a-2', 'a-3', 'a-4', 'z-last']);
      // The wrongly typed values are no index entries, in either path.
      expect(rows[2]!.slice(5)).toEqual([null, null, null, null]);
      expect(rows[1]![4]).toEqual({ ...(JSON.parse(JSON.stringify(documents[1])) as object), _attachments: {}, _meta: { lwt }, _rev: '1-abc' });
    } finally {
      bySql.close();
      byJs.close();
    }
  });

  it('chooses SQL only for a page without surrogates or storage field names', () => {
    const { store, rows, close } = freshStore();
    try {
      // A surrogate pair (raw) and an escaped one: keys of such strings are not their UTF-8.
      const astral = JSON.stringify({ documents: [{ id: 'b-1', name: 'face \u{1f600}', _deleted: false }] });
      const escaped = '{"documents":[{"id":"b-2","name":"face \\ud83d\\ude00","_deleted":false}]}';
      expect(store.importPage(astral, 1, '1-x')).toBe(true);
      expect(store.importPage(escaped, 2, '1-x')).toBe(true);
      const names = rows().map((row) => row[5] as Buffer);
      // As orderKey writes them (CESU-8: each surrogate its own three bytes), not as UTF-8 (four bytes).
      expect(names.map((key) => key.length)).toEqual([11, 11]);
    } finally {
      close();
    }
  });

  it('refuses, in SQL as in JS, a page with an id the table has', () => {
    const { store, rows, close } = freshStore();
    try {
      const first = JSON.stringify({ documents: [{ id: 'c-1', _deleted: false }] });
      const again = JSON.stringify({ documents: [{ id: 'c-2', _deleted: false }, { id: 'c-1', _deleted: false }] });
      expect(store.importPage(first, 1, '1-x')).toBe(true);
      expect(store.importPage(again, 2, '1-x')).toBe(false);
      store.deferIndexes(true);
      expect(store.importPage(again, 3, '1-x')).toBe(false);
      expect(store.importPage(JSON.stringify({ documents: [{ id: 'c-3', _deleted: false }, { id: 'c-3', _deleted: false }] }), 4, '1-x')).toBe(false);
      store.deferIndexes(false);
      expect(rows().map((row) => (row[0] as Buffer).toString())).toEqual(['c-1']);
    } finally {
      close();
    }
  });
});
