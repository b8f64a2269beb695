import { stripMetaDataFromDocument } from 'rxdb';
import { describe, expect, it } from 'vitest';
import { conformanceStorages, entry, entrySchema, insertAll, revise, sortedIds, writeAll, type Entry } from './support';

/** findDocumentsById: which documents come back, with and without the deleted ones. */
const { targets, open } = conformanceStorages();

describe.each(targets)('findDocumentsById on the $name storage', ({ storage }) => {
  it('returns the stored documents asked for and ignores ids that are not stored', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [a, b] = await insertAll(instance, [entry('a', 'alpha'), entry('b', 'beta'), entry('c', 'gamma')]);
    const found = await instance.findDocumentsById(['a', 'missing', 'b'], false);
    expect(found.map((doc) => stripMetaDataFromDocument(doc)).sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual([stripMetaDataFromDocument(a!), stripMetaDataFromDocument(b!)]);
    expect(found.find((doc) => doc.id === 'a')).toEqual(a);
  });

  it('returns nothing for an empty list of ids, or on an empty collection', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    expect(await instance.findDocumentsById([], false)).toEqual([]);
    expect(await instance.findDocumentsById(['a'], true)).toEqual([]);
    await insertAll(instance, [entry('a')]);
    expect(await instance.findDocumentsById([], true)).toEqual([]);
  });

  it('returns a deleted document only with withDeleted, with all its other fields', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [v1] = await insertAll(instance, [entry('del', 'before')]);
    const deleted = revise(v1!, { value: 'after', _deleted: true });
    await writeAll(instance, [{ previous: v1!, document: deleted }]);
    expect(await instance.findDocumentsById(['del'], false)).toEqual([]);
    const [found] = await instance.findDocumentsById(['del'], true);
    expect(found).toEqual(deleted);
    expect(found!.value).toBe('after');
  });

  it('with withDeleted returns the documents that are not deleted too', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [del] = await insertAll(instance, [entry('del'), entry('kept')]);
    await writeAll(instance, [{ previous: del!, document: revise(del!, { _deleted: true }) }]);
    expect(sortedIds(await instance.findDocumentsById(['del', 'kept'], true))).toEqual(['del', 'kept']);
    expect(sortedIds(await instance.findDocumentsById(['del', 'kept'], false))).toEqual(['kept']);
  });

  it('returns the newest revision after updates', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    let current = (await insertAll(instance, [entry('u', '0')]))[0]!;
    for (let i = 1; i <= 5; i++) {
      const next = revise(current, { value: String(i) });
      await writeAll(instance, [{ previous: current, document: next }]);
      current = next;
    }
    expect(await instance.findDocumentsById(['u'], false)).toEqual([current]);
  });

  it('finds ids that look like SQL, JSON or paths as plain text', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const ids = ["a'; DROP TABLE x; --", '"quoted"', '[1,2]', '$.id', 'back\\slash', 'percent%_under'];
    await insertAll(
      instance,
      ids.map((id) => entry(id)),
    );
    expect(sortedIds(await instance.findDocumentsById(ids, false))).toEqual([...ids].sort());
    expect(await instance.findDocumentsById(['%', '_', "a'"], false)).toEqual([]);
  });

  it('finds 5000 documents in one call', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const docs = Array.from({ length: 5000 }, (_, i) => entry(`n${i}`));
    await insertAll(instance, docs);
    expect(
      await instance.findDocumentsById(
        docs.map((d) => d.id),
        false,
      ),
    ).toHaveLength(5000);
  });
});
