import {
  createRevision,
  fillWithDefaultSettings,
  getQueryMatcher,
  getSortComparator,
  normalizeMangoQuery,
  now,
  prepareQuery,
  stripMetaDataFromDocument,
  type MangoQuery,
  type RxDocumentData,
  type RxJsonSchema,
} from 'rxdb';
import { beforeAll, describe, expect, it } from 'vitest';
import { conformanceStorages, entry, entrySchema, insertAll, queryIds, revise, writeAll, writerToken, type Entry, type Instance } from './support';

/**
 * query(): the documents a Mango query selects, their order, and skip/limit. Every case
 * states the ids RxDB returns; the same ids must come from RxDB's own matcher and sort
 * comparator run over the raw documents, from the memory storage and from ours.
 */
const { targets, open } = conformanceStorages();

function stored<T>(data: T, deleted = false): RxDocumentData<T> {
  return { ...data, _deleted: deleted, _attachments: {}, _meta: { lwt: now() }, _rev: createRevision(writerToken) } as RxDocumentData<T>;
}

interface Person {
  id: string;
  name: string;
  age: number;
  city?: string;
  tags: string[];
  vip: boolean;
  score?: number;
  nick?: string | null;
  title?: string;
  address: { street: string; zip: string };
}

const personSchema = fillWithDefaultSettings<Person>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    name: { type: 'string', maxLength: 40 },
    age: { type: 'integer', minimum: 0, maximum: 150, multipleOf: 1 },
    city: { type: 'string', maxLength: 40 },
    tags: { type: 'array', items: { type: 'string' } },
    vip: { type: 'boolean' },
    score: { type: 'number', minimum: 0, maximum: 100, multipleOf: 0.25 },
    nick: { type: ['string', 'null'] },
    title: { type: 'string', maxLength: 20 },
    address: {
      type: 'object',
      properties: { street: { type: 'string', maxLength: 40 }, zip: { type: 'string', maxLength: 10 } },
      required: ['street', 'zip'],
    },
  },
  required: ['id', 'name', 'age', 'tags', 'vip', 'address'],
  indexes: ['age', ['name', 'age'], ['vip', 'age'], 'address.zip', 'city'],
}) as RxJsonSchema<RxDocumentData<Person>>;

const people: RxDocumentData<Person>[] = [
  stored<Person>({ id: 'ada', name: 'Ada', age: 36, city: 'Bihać', tags: ['math'], vip: true, score: 9.5, title: 'Dr', address: { street: 'A', zip: '77000' } }),
  stored<Person>({ id: 'bo', name: 'Bo', age: 12, tags: [], vip: false, nick: null, address: { street: 'B', zip: '71000' } }),
  stored<Person>({ id: 'cy', name: 'Cy', age: 36, city: 'Sarajevo', tags: ['art', 'math'], vip: false, score: 7, nick: 'c', address: { street: 'C', zip: '71000' } }),
  stored<Person>({ id: 'dee-long-id', name: 'Dee', age: 70, city: 'Mostar', tags: ['art'], vip: true, score: 3.25, address: { street: 'D', zip: '88000' } }),
  stored<Person>({ id: 'eve', name: 'eve', age: 5, city: 'Sarajevo', tags: [], vip: false, score: 0, nick: 'e', address: { street: 'E', zip: '71000' } }),
  // Deleted: RxDB adds `_deleted: false` to every query, so it must never show up below.
  stored<Person>({ id: 'zed', name: 'Zed', age: 36, city: 'Sarajevo', tags: ['math'], vip: true, address: { street: 'Z', zip: '71000' } }, true),
];

interface Case {
  does: string;
  query: MangoQuery<Person>;
  ids: string[];
  /**
   * RxDB's memory storage answers this one differently from RxDB's own matcher (it reads
   * an index range for an optional or mistyped indexed field), so it is not run there:
   * the matcher, which RxDB's suite compares every storage with, decides.
   */
  memoryStorageDiffers?: true;
}

const cases: Case[] = [
  { does: 'selects by $gt on a number and breaks ties by primary key', query: { selector: { age: { $gt: 12 } }, sort: [{ age: 'asc' }] }, ids: ['ada', 'cy', 'dee-long-id'] },
  { does: 'selects by $gte on a number', query: { selector: { age: { $gte: 12 } }, sort: [{ age: 'asc' }] }, ids: ['bo', 'ada', 'cy', 'dee-long-id'] },
  { does: 'selects by $lt on a number', query: { selector: { age: { $lt: 36 } }, sort: [{ age: 'asc' }] }, ids: ['eve', 'bo'] },
  { does: 'selects by $lte on a number', query: { selector: { age: { $lte: 36 } }, sort: [{ age: 'asc' }] }, ids: ['eve', 'bo', 'ada', 'cy'] },
  { does: 'combines $gt and $gte on the same field', query: { selector: { age: { $gte: 36, $gt: 12 } }, sort: [{ age: 'asc' }] }, ids: ['ada', 'cy', 'dee-long-id'] },
  { does: 'selects a range on the primary key', query: { selector: { id: { $gt: 'cy' } }, sort: [{ id: 'asc' }] }, ids: ['dee-long-id', 'eve'] },
  { does: 'selects below a value of the primary key', query: { selector: { id: { $lt: 'bo' } }, sort: [{ id: 'asc' }] }, ids: ['ada'] },
  { does: 'compares strings case-sensitively (lower case after upper case)', query: { selector: { name: { $gt: 'Cy' } }, sort: [{ id: 'asc' }] }, ids: ['dee-long-id', 'eve'] },
  { does: 'sorts by a field that is not in the selector', query: { selector: { age: { $gt: 10 } }, sort: [{ name: 'desc' }] }, ids: ['dee-long-id', 'cy', 'bo', 'ada'] },
  { does: 'selects by equality on a boolean', query: { selector: { vip: true }, sort: [{ id: 'asc' }] }, ids: ['ada', 'dee-long-id'] },
  { does: 'selects by equality on a fractional number', query: { selector: { score: 3.25 }, sort: [{ id: 'asc' }] }, ids: ['dee-long-id'] },
  {
    does: 'gives the same answer when the query names the index to use',
    query: { selector: { vip: false, age: { $gte: 10 } }, sort: [{ age: 'desc' }], index: ['vip', 'age'] },
    ids: ['cy', 'bo'],
  },
  { does: 'selects a boolean and a range over a compound index', query: { selector: { vip: false, age: { $gte: 10, $lte: 40 } }, sort: [{ id: 'asc' }] }, ids: ['bo', 'cy'] },
  { does: 'counts a missing optional field as different for $ne', query: { selector: { city: { $ne: 'Sarajevo' } }, sort: [{ id: 'asc' }] }, ids: ['ada', 'bo', 'dee-long-id'] },
  { does: 'matches a missing optional field with null', query: { selector: { title: null } as never, sort: [{ id: 'asc' }] }, ids: ['bo', 'cy', 'dee-long-id', 'eve'] },
  { does: 'matches a missing optional indexed field with null', query: { selector: { city: null } as never, sort: [{ id: 'asc' }] }, ids: ['bo'], memoryStorageDiffers: true },
  { does: 'matches both a stored null and a missing field with null', query: { selector: { nick: null }, sort: [{ id: 'asc' }] }, ids: ['ada', 'bo', 'dee-long-id'] },
  { does: 'selects documents without a field by $exists false', query: { selector: { city: { $exists: false } }, sort: [{ id: 'asc' }] }, ids: ['bo'] },
  { does: 'counts a stored null as existing for $exists true', query: { selector: { nick: { $exists: true } }, sort: [{ id: 'asc' }] }, ids: ['bo', 'cy', 'eve'] },
  { does: 'selects by $in over strings', query: { selector: { name: { $in: ['Ada', 'eve', 'Nobody'] } }, sort: [{ id: 'asc' }] }, ids: ['ada', 'eve'] },
  { does: 'selects by $in over primary keys', query: { selector: { id: { $in: ['eve', 'ada', 'zed'] } }, sort: [{ id: 'asc' }] }, ids: ['ada', 'eve'] },
  { does: 'selects nothing for an empty $in', query: { selector: { name: { $in: [] } }, sort: [{ id: 'asc' }] }, ids: [] },
  { does: 'counts a missing optional field as outside the list for $nin', query: { selector: { city: { $nin: ['Sarajevo'] } }, sort: [{ id: 'asc' }] }, ids: ['ada', 'bo', 'dee-long-id'] },
  { does: 'selects by $in over an array field', query: { selector: { tags: { $in: ['math'] } }, sort: [{ id: 'asc' }] }, ids: ['ada', 'cy'] },
  { does: 'matches an array field that contains the value', query: { selector: { tags: 'art' } as never, sort: [{ id: 'asc' }] }, ids: ['cy', 'dee-long-id'] },
  { does: 'selects by the size of an array', query: { selector: { tags: { $size: 0 } }, sort: [{ id: 'asc' }] }, ids: ['bo', 'eve'] },
  { does: 'selects by $elemMatch', query: { selector: { tags: { $elemMatch: { $eq: 'art' } } }, sort: [{ id: 'asc' }] }, ids: ['cy', 'dee-long-id'] },
  { does: 'selects by $or', query: { selector: { $or: [{ age: { $lt: 10 } }, { city: 'Mostar' }] }, sort: [{ id: 'asc' }] }, ids: ['dee-long-id', 'eve'] },
  {
    does: 'selects by $or over $ne conditions on a missing field',
    query: { selector: { id: 'bo', $or: [{ city: { $ne: 'x' } }, { city: { $ne: 'y' } }] }, sort: [{ id: 'asc' }] },
    ids: ['bo'],
  },
  { does: 'selects by $nor', query: { selector: { $nor: [{ age: { $lt: 10 } }, { city: 'Mostar' }] }, sort: [{ id: 'asc' }] }, ids: ['ada', 'bo', 'cy'] },
  { does: 'selects by $and of two ranges', query: { selector: { $and: [{ age: { $gte: 12 } }, { age: { $lte: 36 } }] }, sort: [{ id: 'asc' }] }, ids: ['ada', 'bo', 'cy'] },
  { does: 'selects by $not', query: { selector: { age: { $not: { $gt: 12 } } }, sort: [{ id: 'asc' }] }, ids: ['bo', 'eve'] },
  { does: 'counts a missing field as matching $not', query: { selector: { score: { $not: { $gt: 5 } } }, sort: [{ id: 'asc' }] }, ids: ['bo', 'dee-long-id', 'eve'] },
  { does: 'selects by $regex', query: { selector: { name: { $regex: '^[A-C]' } }, sort: [{ id: 'asc' }] }, ids: ['ada', 'bo', 'cy'] },
  { does: 'selects by $regex with the i option', query: { selector: { name: { $regex: '^E', $options: 'i' } }, sort: [{ id: 'asc' }] }, ids: ['eve'] },
  { does: 'selects by $type', query: { selector: { nick: { $type: 'string' } }, sort: [{ id: 'asc' }] }, ids: ['cy', 'eve'] },
  { does: 'selects by $mod', query: { selector: { age: { $mod: [6, 0] } }, sort: [{ id: 'asc' }] }, ids: ['ada', 'bo', 'cy'] },
  { does: 'selects by a nested field', query: { selector: { 'address.zip': '71000' }, sort: [{ id: 'asc' }] }, ids: ['bo', 'cy', 'eve'] },
  { does: 'sorts by a nested field', query: { selector: {}, sort: [{ 'address.zip': 'desc' }, { id: 'asc' }] }, ids: ['dee-long-id', 'ada', 'bo', 'cy', 'eve'] },
  { does: 'sorts by several fields', query: { selector: {}, sort: [{ vip: 'desc' }, { age: 'asc' }] }, ids: ['ada', 'dee-long-id', 'eve', 'bo', 'cy'] },
  { does: 'puts documents without an optional field first when sorting it ascending', query: { selector: {}, sort: [{ city: 'asc' }] }, ids: ['bo', 'ada', 'dee-long-id', 'cy', 'eve'] },
  { does: 'puts documents without an optional field last when sorting it descending', query: { selector: {}, sort: [{ city: 'desc' }] }, ids: ['cy', 'eve', 'dee-long-id', 'ada', 'bo'] },
  { does: 'sorts by an optional number', query: { selector: {}, sort: [{ score: 'asc' }] }, ids: ['bo', 'eve', 'dee-long-id', 'cy', 'ada'] },
  { does: 'applies skip and limit after sorting', query: { selector: {}, sort: [{ age: 'asc' }], skip: 1, limit: 2 }, ids: ['bo', 'ada'] },
  { does: 'applies skip and limit after filtering in JavaScript', query: { selector: { name: { $regex: '[a-z]' } }, sort: [{ age: 'desc' }], skip: 1, limit: 3 }, ids: ['ada', 'cy', 'bo'] },
  { does: 'returns nothing for limit 0', query: { selector: {}, sort: [{ age: 'asc' }], limit: 0 }, ids: [] },
  { does: 'returns nothing when skip passes the end', query: { selector: {}, sort: [{ age: 'asc' }], skip: 10 }, ids: [] },
  { does: 'never matches a value of another type than the field has', query: { selector: { score: { $gt: '1' } } as never, sort: [{ id: 'asc' }] }, ids: [] },
  {
    does: 'never matches a value of another type than the indexed field has',
    query: { selector: { age: { $gt: '20' } } as never, sort: [{ id: 'asc' }] },
    ids: [],
    memoryStorageDiffers: true,
  },
  { does: 'matches nothing for an empty operator object on a field', query: { selector: { title: {} }, sort: [{ id: 'asc' }] }, ids: [] },
  { does: 'matches nothing for an empty operator object on an indexed field', query: { selector: { city: {} }, sort: [{ id: 'asc' }] }, ids: [], memoryStorageDiffers: true },
];

/** The query as RxDB's collection would send it: deleted documents excluded. */
function asRxDbSends(query: MangoQuery<Person>): MangoQuery<Person> {
  const index = typeof query.index === 'string' ? [query.index] : query.index;
  return { ...query, selector: { ...query.selector, _deleted: false } as never, ...(index ? { index: ['_deleted', ...index] } : {}) };
}

describe('the expected ids are what RxDB itself computes', () => {
  it.each(cases.map((c) => [c.does, c] as const))('RxDB %s', (_does, { query, ids }) => {
    const normalized = normalizeMangoQuery<Person>(personSchema, asRxDbSends(query));
    const matches = getQueryMatcher(personSchema, normalized);
    const compare = getSortComparator(personSchema, normalized);
    const skip = normalized.skip ?? 0;
    const end = typeof normalized.limit === 'number' ? skip + normalized.limit : undefined;
    expect(
      people
        .filter((doc) => matches(doc))
        .sort(compare)
        .slice(skip, end)
        .map((doc) => doc.id),
    ).toEqual(ids);
  });
});

describe.each(targets)('query on the $name storage', ({ name, storage }) => {
  let instance: Instance<Person>;
  beforeAll(async () => {
    instance = await open<Person>(storage, personSchema, { keepUntilEnd: true });
    await insertAll(instance, people);
  });

  const runHere = cases.filter((c) => !(name === 'memory' && c.memoryStorageDiffers));
  it.each(runHere.map((c) => [c.does, c] as const))('%s', async (_does, { query, ids }) => {
    const prepared = prepareQuery<Person>(personSchema, normalizeMangoQuery<Person>(personSchema, asRxDbSends(query)));
    const result = await instance.query(prepared);
    expect(result.documents.map((doc) => doc.id)).toEqual(ids);
    expect(result.documents).toEqual(ids.map((id) => people.find((doc) => doc.id === id)));
    if (query.skip === undefined && query.limit === undefined) expect((await instance.count(prepared)).count).toBe(ids.length);
  });
});

describe.each(targets)('query basics on the $name storage', ({ storage }) => {
  it('returns deleted documents when the selector does not exclude them: filtering them is up to RxDB', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [doc] = await insertAll(instance, [entry('a', 'first'), entry('b', 'second')]);
    await writeAll(instance, [{ previous: doc!, document: revise(doc!, { _deleted: true }) }]);
    expect(await queryIds(instance, { selector: {}, sort: [{ id: 'asc' }] })).toEqual(['a', 'b']);
    expect(await queryIds(instance, { selector: { _deleted: false } as never, sort: [{ id: 'asc' }] })).toEqual(['b']);
    expect(await queryIds(instance, { selector: { _deleted: true } as never, sort: [{ id: 'asc' }] })).toEqual(['a']);
  });

  it('sorts descending on an indexed field', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    await insertAll(instance, [entry('1', 'a'), entry('2', 'b'), entry('3', 'c')]);
    const result = await instance.query(prepareQuery(entrySchema, normalizeMangoQuery<Entry>(entrySchema, { selector: {}, sort: [{ value: 'desc' }] })));
    expect(result.documents.map((doc) => doc.value)).toEqual(['c', 'b', 'a']);
  });

  it('returns all of 300 documents in primary key order', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const docs = Array.from({ length: 300 }, (_, i) => entry(`${String(i).padStart(5, '0')}-${i % 7}`, String(i)));
    await insertAll(instance, [...docs].reverse());
    expect(await queryIds(instance, { selector: {}, sort: [{ id: 'asc' }] })).toEqual(docs.map((d) => d.id));
  });

  it('finds and sorts by a nested field that is part of an index', async () => {
    interface Nested {
      id: string;
      nes: { ted: string };
    }
    const schema = fillWithDefaultSettings<Nested>({
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: { id: { type: 'string', maxLength: 40 }, nes: { type: 'object', properties: { ted: { type: 'string', maxLength: 40 } }, required: ['ted'] } },
      required: ['id', 'nes'],
      indexes: [['nes.ted', 'id']],
    }) as RxJsonSchema<RxDocumentData<Nested>>;
    const instance = await open<Nested>(storage, schema);
    await insertAll(instance, [stored<Nested>({ id: 'x', nes: { ted: 'other' } }), stored<Nested>({ id: 'y', nes: { ted: 'wanted' } })]);
    expect(await queryIds(instance, { selector: { 'nes.ted': { $eq: 'wanted' } }, sort: [{ 'nes.ted': 'asc' }, { id: 'asc' }] })).toEqual(['y']);
  });

  it('returns documents in the order of getSortComparator for every sort its indexes allow', async () => {
    interface Shuffled {
      id: string;
      equal: string;
      increment: number;
      random: string;
    }
    const schema = fillWithDefaultSettings<Shuffled>({
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: {
        id: { type: 'string', maxLength: 40 },
        equal: { type: 'string', maxLength: 20, enum: ['same'] },
        increment: { type: 'number', minimum: 0, maximum: 1000, multipleOf: 1 },
        random: { type: 'string', maxLength: 40 },
      },
      required: ['id', 'equal', 'increment', 'random'],
      indexes: [
        ['equal', 'id'],
        ['increment', 'id'],
        ['random', 'id'],
        ['equal', 'increment', 'id'],
      ],
    }) as RxJsonSchema<RxDocumentData<Shuffled>>;
    const instance = await open<Shuffled>(storage, schema);
    const docs = Array.from({ length: 8 }, (_, i) => stored<Shuffled>({ id: `s${(i * 5) % 8}-${Math.random().toString(36).slice(2, 8)}`, equal: 'same', increment: i % 3, random: Math.random().toString(36).slice(2) }));
    await insertAll(instance, docs);
    const sorts: MangoQuery<Shuffled>['sort'][] = [[{ id: 'asc' }], [{ equal: 'asc' }, { id: 'asc' }], [{ increment: 'desc' }, { id: 'asc' }], [{ equal: 'asc' }, { increment: 'desc' }, { id: 'asc' }], [{ random: 'asc' }]];
    for (const sort of sorts) {
      const normalized = normalizeMangoQuery<Shuffled>(schema, { selector: {}, sort });
      const expected = [...docs].sort(getSortComparator(schema, normalized)).map((doc) => stripMetaDataFromDocument(doc));
      const result = await instance.query(prepareQuery(schema, normalized));
      expect(result.documents.map((doc) => stripMetaDataFromDocument(doc))).toEqual(expected);
    }
  });

  it('finds documents by a composite primary key and by the fields it is made of', async () => {
    interface Stay {
      key: string;
      country: string;
      number: number;
      note: string;
    }
    const schema = fillWithDefaultSettings<Stay>({
      version: 0,
      primaryKey: { key: 'key', fields: ['country', 'number'], separator: '|' },
      type: 'object',
      properties: {
        key: { type: 'string', maxLength: 100 },
        country: { type: 'string', maxLength: 3 },
        number: { type: 'integer', minimum: 0, maximum: 100, multipleOf: 1 },
        note: { type: 'string', maxLength: 40 },
      },
      required: ['key', 'country', 'number', 'note'],
      indexes: ['country', ['number', 'note']],
    }) as RxJsonSchema<RxDocumentData<Stay>>;
    const instance = await open<Stay>(storage, schema);
    await insertAll(instance, [
      stored<Stay>({ key: 'BIH|1', country: 'BIH', number: 1, note: 'one' }),
      stored<Stay>({ key: 'SRB|1', country: 'SRB', number: 1, note: 'two' }),
      stored<Stay>({ key: 'BIH|2', country: 'BIH', number: 2, note: 'three' }),
    ]);
    expect(await queryIds(instance, { selector: { key: 'BIH|1' }, sort: [{ key: 'asc' }] })).toEqual(['BIH|1']);
    expect(await queryIds(instance, { selector: { $and: [{ country: { $eq: 'BIH' } }, { number: { $eq: 1 } }] }, sort: [{ number: 'desc' }] })).toEqual(['BIH|1']);
    expect(await queryIds(instance, { selector: { country: 'BIH' }, sort: [{ number: 'desc' }] })).toEqual(['BIH|2', 'BIH|1']);
    expect((await instance.findDocumentsById(['SRB|1'], false))[0]?.note).toBe('two');
  });

  /*
   * JavaScript (and so RxDB's matcher, sort comparator and memory storage) compares
   * strings by UTF-16 code units. Characters beyond U+FFFF (rare CJK name characters,
   * emoji) are two code units starting with 0xD8–0xDB, so they sort BEFORE characters
   * such as U+FB00 'ﬀ' or the fullwidth U+FF21 'Ａ' — unlike a byte-wise UTF-8 order.
   */
  describe('strings outside the Basic Multilingual Plane', () => {
    const values = ['a', 'z', 'ä', 'ﬀ', 'Ａ', '😀', '𠀀'];
    const byCodeUnits = ['a', 'z', 'ä', '😀', '𠀀', 'ﬀ', 'Ａ'];

    async function filled(): Promise<Instance<Entry>> {
      const instance = await open<Entry>(storage, entrySchema);
      await insertAll(
        instance,
        values.map((value) => entry(`id-${value}`, value)),
      );
      return instance;
    }

    it('sorts an indexed string field by UTF-16 code units, as RxDB does', async () => {
      const instance = await filled();
      expect(await queryIds(instance, { selector: {}, sort: [{ value: 'asc' }] })).toEqual(byCodeUnits.map((value) => `id-${value}`));
    });

    it('sorts by the primary key by UTF-16 code units, as RxDB does', async () => {
      const instance = await filled();
      expect(await queryIds(instance, { selector: {}, sort: [{ id: 'asc' }] })).toEqual(byCodeUnits.map((value) => `id-${value}`));
    });

    it('compares strings in $gt and $lt by UTF-16 code units, as RxDB does', async () => {
      const instance = await filled();
      expect(await queryIds(instance, { selector: { value: { $gt: 'ﬀ' } }, sort: [{ id: 'asc' }] })).toEqual(['id-Ａ']);
      expect(await queryIds(instance, { selector: { value: { $lt: 'ﬀ' } }, sort: [{ value: 'asc' }] })).toEqual(['id-a', 'id-z', 'id-ä', 'id-😀', 'id-𠀀']);
      expect((await instance.count(prepareQuery(entrySchema, normalizeMangoQuery<Entry>(entrySchema, { selector: { value: { $lt: 'ﬀ' } } })))).count).toBe(5);
    });
  });
});
