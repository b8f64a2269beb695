import fc from 'fast-check';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RxStorageInstance } from 'rxdb';
import { openInstance, prepared, sqliteStorage, stored, traveller, travellerSchema, type Traveller } from './storage-test-support';

/**
 * RxDB's memory storage is the reference for what a query returns. Random documents and
 * random selectors, sorts and pages must give the same ids in the same order on ours.
 */
const surnames = ['ADAMS', 'BAKER', 'ĐURIĆ', 'adams', 'Čolić', 'ZED'];
const nicknames = ['bee', 'cee', 'Ω'];

const travellerArbitrary = fc.record({
  surname: fc.constantFrom(...surnames),
  age: fc.integer({ min: 0, max: 6 }),
  vip: fc.boolean(),
  nickname: fc.option(fc.constantFrom(...nicknames), { nil: undefined }),
  documentNumber: fc.constantFrom('A1', 'B2', 'C3'),
});

const fieldCondition = fc.oneof(
  fc.record({ field: fc.constant('age'), value: fc.oneof(fc.integer({ min: -1, max: 7 }), fc.constant('3')) }),
  fc.record({ field: fc.constant('surname'), value: fc.constantFrom(...surnames, 'NOBODY') }),
  fc.record({ field: fc.constant('nickname'), value: fc.oneof(fc.constantFrom(...nicknames), fc.constant(null)) }),
  fc.record({ field: fc.constant('vip'), value: fc.boolean() }),
);

const operator = fc.constantFrom('$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$not', '$regex');

function leaf([condition, op, extra]: [{ field: string; value: unknown }, string, unknown[]]): Record<string, unknown> {
  const { field, value } = condition;
  switch (op) {
    case '$in':
    case '$nin':
      return { [field]: { [op]: [value, ...extra] } };
    case '$exists':
      return { [field]: { $exists: typeof value === 'boolean' ? value : value !== null } };
    case '$not':
      return { [field]: { $not: { $eq: value } } };
    case '$regex':
      return typeof value === 'string' ? { [field]: { $regex: value.slice(0, 1) } } : { [field]: { $eq: value } };
    default:
      return { [field]: { [op]: value } };
  }
}

const leafSelector = fc.tuple(fieldCondition, operator, fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom(...surnames)), { maxLength: 2 })).map(leaf);
const selector = fc.oneof(
  leafSelector,
  fc.array(leafSelector, { minLength: 2, maxLength: 3 }).map((parts) => ({ $and: parts })),
  fc.array(leafSelector, { minLength: 2, maxLength: 3 }).map((parts) => ({ $or: parts })),
  fc.array(leafSelector, { minLength: 1, maxLength: 2 }).map((parts) => ({ $nor: parts })),
);
const sort = fc.constantFrom(
  [{ id: 'asc' }],
  [{ age: 'asc' }],
  [{ age: 'desc' }, { surname: 'asc' }],
  [{ surname: 'desc' }],
  [{ nickname: 'asc' }],
  [{ vip: 'desc' }, { age: 'asc' }],
);

describe('queries on the SQLite storage, against RxDB memory storage', () => {
  let ours: RxStorageInstance<Traveller, unknown, unknown>;
  let reference: RxStorageInstance<Traveller, unknown, unknown>;
  let runs = 0;

  beforeAll(async () => {
    ours = await openInstance(sqliteStorage(), travellerSchema, 'differential');
    reference = await openInstance(getRxStorageMemory() as never, travellerSchema, `differential-${Math.random()}`);
  });
  afterAll(async () => {
    await ours.close();
    await reference.close();
  });

  it('returns the same documents in the same order, and the same counts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(travellerArbitrary, { minLength: 10, maxLength: 30 }), selector, sort, fc.nat(5), fc.option(fc.nat(8), { nil: undefined }), async (people, where, order, skip, limit) => {
        runs++;
        const docs = people.map((person, index) => stored(traveller({ ...person, id: `r${runs}-${String(index).padStart(2, '0')}`, tags: [] })));
        const rows = docs.map((document) => ({ document }));
        await ours.bulkWrite(rows, 'differential');
        await reference.bulkWrite(rows, 'differential');
        const scoped = { $and: [{ id: { $gte: `r${runs}-`, $lt: `r${runs}.` } }, where] };
        const query = prepared(travellerSchema, { selector: scoped as never, sort: order as never, skip, limit });
        const [a, b] = await Promise.all([ours.query(query), reference.query(query)]);
        expect(a.documents.map((d) => d.id)).toEqual(b.documents.map((d) => d.id));
        const countQuery = prepared(travellerSchema, { selector: scoped as never });
        expect((await ours.count(countQuery)).count).toBe((await reference.count(countQuery)).count);
      }),
      { numRuns: 200 },
    );
  });
});
