import {
  createRevision,
  fillWithDefaultSettings,
  getPrimaryFieldOfPrimaryKey,
  getWrittenDocumentsFromBulkWriteResponse,
  now,
  parseRevision,
  stripMetaDataFromDocument,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageWriteErrorConflict,
} from 'rxdb';
import { compressDocumentData, getCompressionStateByRxJsonSchema } from 'rxdb/plugins/key-compression';
import { describe, expect, it } from 'vitest';
import { conformanceStorages, context, entry, entrySchema, insertAll, revise, writeAll, writerToken, type Entry } from './support';

/** bulkWrite: what is written, what is refused as a conflict, and what the answer holds. */
const { targets, open } = conformanceStorages();

describe.each(targets)('bulkWrite on the $name storage', ({ storage }) => {
  it('writes a new document and answers with an empty error list', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const doc = entry('a', 'first');
    const rows = [{ document: structuredClone(doc) }];
    const result = await instance.bulkWrite(rows, context);
    expect(result.error).toEqual([]);
    const written = getWrittenDocumentsFromBulkWriteResponse('id', rows, result);
    expect(written.map((d) => stripMetaDataFromDocument(d))).toEqual([stripMetaDataFromDocument(doc)]);
    expect(await instance.findDocumentsById(['a'], false)).toEqual([doc]);
  });

  it('answers an empty bulk with no errors', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    expect(await instance.bulkWrite([], context)).toEqual({ error: [] });
  });

  it('refuses an insert of a stored id with a 409 that carries the stored document and the refused row', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [stored] = await insertAll(instance, [entry('a', 'kept')]);
    const row = { document: entry('a', 'intruder') };
    const result = await instance.bulkWrite([row], context);
    expect(result.error).toHaveLength(1);
    const conflict = result.error[0] as RxStorageWriteErrorConflict<Entry>;
    expect(conflict).toMatchObject({ status: 409, isError: true, documentId: 'a' });
    expect(conflict.writeRow).toEqual(row);
    expect(conflict.documentInDb).toEqual(stored);
    // No storage-internal fields may leak into the document of a conflict.
    expect(Object.keys(conflict.documentInDb!).sort()).toEqual(Object.keys(stored!).sort());
    expect((await instance.findDocumentsById(['a'], false))[0]!.value).toBe('kept');
  });

  it('refuses an update whose previous revision is no longer the stored one', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [v1] = await insertAll(instance, [entry('a', 'one')]);
    const v2 = revise(v1!, { value: 'two' });
    await writeAll(instance, [{ previous: v1!, document: v2 }]);
    const stale = await instance.bulkWrite([{ previous: v1!, document: revise(v1!, { value: 'stale' }) }], context);
    expect(stale.error[0]).toMatchObject({ status: 409, documentId: 'a', documentInDb: v2 });
    expect((await instance.findDocumentsById(['a'], false))[0]!.value).toBe('two');
  });

  it('lets the first of two simultaneous inserts of one id win and gives the second a conflict', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [first, second] = await Promise.all([
      instance.bulkWrite([{ document: entry('same', 'first') }], context),
      instance.bulkWrite([{ document: entry('same', 'second') }], context),
    ]);
    expect(first.error).toEqual([]);
    expect(second.error).toHaveLength(1);
    expect(second.error[0]).toMatchObject({ status: 409 });
    expect(second.error[0]!.writeRow.document.value).toBe('second');
    expect((await instance.findDocumentsById(['same'], false))[0]!.value).toBe('first');
  });

  it('writes a row that names a previous state as an insert when the document is not stored', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const ghost = entry('p', 'never stored');
    const doc = revise(ghost, { value: 'stored now' });
    await writeAll(instance, [{ previous: ghost, document: doc }]);
    expect(await instance.findDocumentsById(['p'], false)).toEqual([doc]);
  });

  it('writes the rows of a bulk that do not conflict and reports only the one that does', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    await insertAll(instance, [entry('taken')]);
    const result = await instance.bulkWrite([{ document: entry('new-1') }, { document: entry('taken') }, { document: entry('new-2') }], context);
    expect(result.error.map((e) => [e.documentId, e.status])).toEqual([['taken', 409]]);
    expect((await instance.findDocumentsById(['new-1', 'new-2'], false)).map((d) => d.id).sort()).toEqual(['new-1', 'new-2']);
  });

  it('moves a document through update and delete, after which a plain read no longer finds it', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [v1] = await insertAll(instance, [entry('a', 'one')]);
    const v2 = revise(v1!, { value: 'two' });
    await writeAll(instance, [{ previous: v1!, document: v2 }]);
    const v3 = revise(v2, { value: 'gone', _deleted: true });
    await writeAll(instance, [{ previous: v2, document: v3 }]);
    expect(await instance.findDocumentsById(['a'], false)).toEqual([]);
    expect(await instance.findDocumentsById(['a'], true)).toEqual([v3]);
  });

  it('refuses to bring a deleted document back without its previous state, and accepts it with that state', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [v1] = await insertAll(instance, [entry('back', 'one')]);
    const deleted = revise(v1!, { _deleted: true });
    await writeAll(instance, [{ previous: v1!, document: deleted }]);

    // At the storage level a re-insert over a tombstone is a conflict (RxDB itself handles re-inserts above the storage).
    const blind = await instance.bulkWrite([{ document: revise(deleted, { _deleted: false, value: 'again' }) }], context);
    expect(blind.error[0]).toMatchObject({ status: 409, documentInDb: deleted });
    const fresh = await instance.bulkWrite([{ document: entry('back', 'brand new') }], context);
    expect(fresh.error[0]).toMatchObject({ status: 409 });

    await writeAll(instance, [{ previous: deleted, document: revise(deleted, { _deleted: false, value: 'again' }) }]);
    expect((await instance.findDocumentsById(['back'], false))[0]!.value).toBe('again');
  });

  it('updates a deleted document that stays deleted (a replicated tombstone changed elsewhere)', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [v1] = await insertAll(instance, [entry('t', 'one')]);
    const deleted = revise(v1!, { _deleted: true });
    await writeAll(instance, [{ previous: v1!, document: deleted }]);
    const changed = revise(deleted, { value: 'changed while deleted' });
    await writeAll(instance, [{ previous: deleted, document: changed }]);
    expect(await instance.findDocumentsById(['t'], true)).toEqual([changed]);
    expect(await instance.findDocumentsById(['t'], false)).toEqual([]);
  });

  it('stores a document that arrives already deleted, as replication may write it', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const tombstone = entry('arrived-deleted', 'x', { _deleted: true });
    await writeAll(instance, [{ document: tombstone }]);
    expect(await instance.findDocumentsById(['arrived-deleted'], false)).toEqual([]);
    expect(await instance.findDocumentsById(['arrived-deleted'], true)).toEqual([tombstone]);
  });

  it('drops a property that the new revision leaves out', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [v1] = await insertAll(instance, [entry('a', 'one', { note: 'to be removed' })]);
    const { note: _note, ...withoutNote } = v1!;
    const v2 = revise(withoutNote as RxDocumentData<Entry>);
    await writeAll(instance, [{ previous: v1!, document: v2 }]);
    const [found] = await instance.findDocumentsById(['a'], false);
    expect(found).toEqual(v2);
    expect('note' in found!).toBe(false);
  });

  it('accepts writes that change only _meta fields, keeping the revision height it was given', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [v1] = await insertAll(instance, [entry('m', 'same', { _meta: { lwt: now(), mark: 0 } })]);
    const v2 = revise(v1!, { _meta: { lwt: now(), mark: 1 } });
    await writeAll(instance, [{ previous: v1!, document: v2 }]);
    const v3 = revise(v2, { _meta: { lwt: now(), mark: 2 } });
    await writeAll(instance, [{ previous: v2, document: v3 }]);
    const [found] = await instance.findDocumentsById(['m'], true);
    expect(parseRevision(found!._rev).height).toBe(3);
    expect(found!._meta).toEqual(v3._meta);
  });

  it('accepts a new revision several heights above the stored one', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [v1] = await insertAll(instance, [entry('jump', 'one')]);
    const jumped = { ...v1!, value: 'four', _rev: `4-${writerToken}`, _meta: { lwt: now() } };
    await writeAll(instance, [{ previous: v1!, document: jumped }]);
    expect((await instance.findDocumentsById(['jump'], false))[0]!._rev).toBe(`4-${writerToken}`);
  });

  it('keeps umlauts, Cyrillic, Arabic and emoji in ids and values', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const ids = ['Müller-äöüßé', 'Đurić-Čolić', 'Иванов', 'حداد', 'smile-😀'];
    const docs = await insertAll(
      instance,
      ids.map((id) => entry(id, `value of ${id}`)),
    );
    const found = await instance.findDocumentsById(ids, false);
    expect(found.sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual([...docs].sort((a, b) => (a.id < b.id ? -1 : 1)));
  });

  it('gives back numbers, booleans, nulls, empty strings, nested objects and arrays exactly as written', async () => {
    interface Mixed {
      id: string;
      payload: Record<string, unknown>;
    }
    const schema = fillWithDefaultSettings<Mixed>({
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: { id: { type: 'string', maxLength: 40 }, payload: { type: 'object' } },
      required: ['id', 'payload'],
    }) as RxJsonSchema<RxDocumentData<Mixed>>;
    const instance = await open<Mixed>(storage, schema);
    const payload = {
      integer: 9007199254740991,
      negative: -42,
      fraction: 0.1 + 0.2,
      tiny: 1e-7,
      huge: 1.7976931348623157e308,
      yes: true,
      no: false,
      nothing: null,
      empty: '',
      quotes: 'She said "hi" \\ and left',
      lines: 'one\ntwo\tthree',
      nested: { deeper: { list: [1, 'two', { three: [3] }] } },
      emptyList: [],
      emptyObject: {},
    };
    const doc: RxDocumentData<Mixed> = { id: 'mixed', payload, _deleted: false, _attachments: {}, _meta: { lwt: now() }, _rev: createRevision(writerToken) };
    await writeAll(instance, [{ document: doc }]);
    expect(await instance.findDocumentsById(['mixed'], false)).toEqual([doc]);
  });

  it('stores documents of a key-compressed schema as they were written', async () => {
    interface Traveller {
      id: string;
      surname: string;
      address: { city: string; zip: string };
      visits: number;
    }
    const plain = fillWithDefaultSettings<Traveller>({
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: {
        id: { type: 'string', maxLength: 40 },
        surname: { type: 'string', maxLength: 60 },
        address: { type: 'object', properties: { city: { type: 'string', maxLength: 60 }, zip: { type: 'string', maxLength: 10 } }, required: ['city', 'zip'] },
        visits: { type: 'integer', minimum: 0, maximum: 1000, multipleOf: 1 },
      },
      required: ['id', 'surname', 'address', 'visits'],
      indexes: ['surname', ['address.city', 'visits']],
    });
    const compression = getCompressionStateByRxJsonSchema(plain);
    const instance = await open<Traveller>(storage, compression.compressedSchema as RxJsonSchema<RxDocumentData<Traveller>>);
    const doc: RxDocumentData<Traveller> = {
      id: 'k1',
      surname: 'HODŽIĆ',
      address: { city: 'Sarajevo', zip: '71000' },
      visits: 3,
      _deleted: false,
      _attachments: {},
      _meta: { lwt: now() },
      _rev: createRevision(writerToken),
    };
    const compressed = compressDocumentData(compression, doc);
    await writeAll(instance, [{ document: compressed }]);
    const primaryPath = getPrimaryFieldOfPrimaryKey(compression.compressedSchema.primaryKey) as string;
    // Compressed field names start with '|'; the stored document must keep them as they are.
    expect(Object.keys(compressed).some((key) => key.startsWith('|'))).toBe(true);
    const [found] = await instance.findDocumentsById([(compressed as Record<string, unknown>)[primaryPath] as string], false);
    expect(stripMetaDataFromDocument(found!)).toEqual(stripMetaDataFromDocument(compressed));
  });

  it('writes 3000 documents in one bulk and finds all of them by id', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const docs = Array.from({ length: 3000 }, (_, i) => entry(`many-${String(i).padStart(5, '0')}`, `v${i % 17}`));
    await insertAll(instance, docs);
    const found = await instance.findDocumentsById(
      docs.map((d) => d.id),
      false,
    );
    expect(found).toHaveLength(3000);
  });

  it('leaves the rows it was given unchanged', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [v1] = await insertAll(instance, [entry('a', 'one')]);
    const rows = [{ previous: v1!, document: revise(v1!, { value: 'two' }) }, { document: entry('b') }, { document: entry('a', 'conflict') }];
    const copy = structuredClone(rows);
    await instance.bulkWrite(rows, context);
    expect(rows).toEqual(copy);
  });
});
