import type { MangoQuery } from 'rxdb';
import { describe, expect, it } from 'vitest';
import { conformanceStorages, entry, entrySchema, insertAll, preparedFor, revise, writeAll, type Entry, type Instance } from './support';

/** count(): the number of documents a selector matches, as query() would return them. */
const { targets, open } = conformanceStorages();

async function countOf(instance: Instance<Entry>, query: MangoQuery<Entry>): Promise<number> {
  return (await instance.count(preparedFor(entrySchema, query))).count;
}

describe.each(targets)('count on the $name storage', ({ storage }) => {
  it('counts nothing on an empty collection and one more after each insert', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const all: MangoQuery<Entry> = { selector: {}, sort: [{ id: 'asc' }] };
    expect(await countOf(instance, all)).toBe(0);
    await insertAll(instance, [entry('a')]);
    expect(await countOf(instance, all)).toBe(1);
    await insertAll(instance, [entry('b')]);
    expect(await countOf(instance, all)).toBe(2);
  });

  it('still counts a deleted document when the selector does not exclude deleted ones', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [a] = await insertAll(instance, [entry('a'), entry('b')]);
    await writeAll(instance, [{ previous: a!, document: revise(a!, { _deleted: true }) }]);
    expect(await countOf(instance, { selector: {} })).toBe(2);
    expect(await countOf(instance, { selector: { _deleted: false } as never })).toBe(1);
  });

  it('counts as many documents as query() returns, for selectors answered in SQL and in JavaScript', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    await insertAll(instance, [
      entry('a', 'apple', { note: 'red' }),
      entry('b', 'banana'),
      entry('c', 'cherry', { note: 'red' }),
      entry('d', 'date'),
      entry('e', 'elderberry', { note: 'black' }),
    ]);
    const selectors: MangoQuery<Entry>['selector'][] = [
      { value: 'apple' },
      { value: { $gt: 'b', $lt: 'd' } },
      { note: { $exists: false } },
      { note: { $ne: 'red' } },
      { value: { $regex: 'an' } },
      { $or: [{ note: 'black' }, { value: { $regex: '^d' } }] },
      { value: { $in: ['date', 'fig'] }, note: { $exists: false } },
      { id: { $nin: ['a', 'b'] } },
    ];
    for (const selector of selectors) {
      const query: MangoQuery<Entry> = { selector: { ...selector, _deleted: false } as never };
      const found = await instance.query(preparedFor(entrySchema, query));
      expect({ selector, count: await countOf(instance, query) }).toEqual({ selector, count: found.documents.length });
    }
  });
});
