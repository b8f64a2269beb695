import { spawnSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { DocumentCache, selectorText } from './document-cache';
import { getRxStorageSqlite } from './index';
import { openInstance, prepared, stored, tempStoreDirectory, testKey, traveller, travellerSchema } from './storage-test-support';
import { StoreWorkerClient } from './worker-client';

const idOf = (doc: { id: string }) => doc.id;

describe('the document cache', () => {
  it('does not keep a read that a write overlapped', () => {
    const cache = new DocumentCache<{ id: string; v: number }>(10);
    const writesWhenAsked = cache.writes;
    cache.rememberWrite([{ id: 'a', v: 2 }], idOf);
    cache.rememberRead([{ id: 'a', v: 1 }], idOf, writesWhenAsked);
    expect(cache.get('a')).toEqual({ id: 'a', v: 2 });
  });

  it('forgets the oldest documents beyond its capacity', () => {
    const cache = new DocumentCache<{ id: string }>(20);
    for (let n = 0; n < 22; n++) cache.rememberWrite([{ id: `d${n}` }], idOf);
    expect([cache.get('d0'), cache.get('d1'), cache.get('d2'), cache.get('d21')]).toEqual([undefined, undefined, { id: 'd2' }, { id: 'd21' }]);
  });

  it('drops, and does not keep, the documents of a bulk load bigger than a tenth of it', () => {
    const cache = new DocumentCache<{ id: string; v: number }>(20);
    cache.rememberWrite([{ id: 'a', v: 1 }, { id: 'z', v: 1 }], idOf);
    cache.rememberWrite(['a', 'b', 'c'].map((id) => ({ id, v: 2 })), idOf);
    // No older state of a stays; the documents of the load are read from the store when needed.
    expect([cache.get('a'), cache.get('b'), cache.get('z')]).toEqual([undefined, undefined, { id: 'z', v: 1 }]);
  });

  it('does not serve what another process changed while the file was closed', async () => {
    const directory = tempStoreDirectory();
    const storage = getRxStorageSqlite({ directory, key: testKey });
    const first = await openInstance(storage, undefined, 'shared');
    await first.bulkWrite([{ document: stored(traveller({ id: 'x', surname: 'BEFORE' })) }], 'test');
    expect((await first.findDocumentsById(['x'], false))[0]?.surname).toBe('BEFORE');
    await first.close();

    const other = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/store-writer-process.ts', directory, 'shared', 'x', 'AFTER'], { encoding: 'utf8' });
    expect(other.stderr).toBe('');
    expect(other.status).toBe(0);

    const again = await openInstance(storage, undefined, 'shared');
    expect((await again.findDocumentsById(['x'], false))[0]?.surname).toBe('AFTER');
    await again.close();
  });

  it('serves the same answers with the cache turned off', async () => {
    const storage = getRxStorageSqlite({ directory: tempStoreDirectory(), key: testKey, documentCacheSize: 0 });
    const instance = await openInstance(storage, undefined, 'uncached');
    await instance.bulkWrite([{ document: stored(traveller({ id: 'y', surname: 'PLAIN' })) }], 'test');
    expect((await instance.findDocumentsById(['y'], false))[0]?.surname).toBe('PLAIN');
    await instance.close();
  });

  it('answers a count from the query of all its matches or from the same count, until the next write', async () => {
    const instance = await openInstance(getRxStorageSqlite({ directory: tempStoreDirectory(), key: testKey }), undefined, 'counted');
    await instance.bulkWrite([30, 30, 31, 30].map((age, n) => ({ document: stored(traveller({ id: `c${n}`, age })) })), 'test');
    const counts = vi.spyOn(StoreWorkerClient.prototype, 'call');
    const countsAsked = () => counts.mock.calls.filter(([operation]) => operation === 'count').length;
    try {
      expect((await instance.query(prepared(travellerSchema, { selector: { age: 30 } }))).documents).toHaveLength(3);
      // The same selector as the query's, written the long way: no trip to the worker.
      expect((await instance.count(prepared(travellerSchema, { selector: { age: { $eq: 30 } } }))).count).toBe(3);
      expect(countsAsked()).toBe(0);
      // A query with a limit does not tell how many match.
      await instance.query(prepared(travellerSchema, { selector: { age: 31 }, limit: 1 }));
      expect((await instance.count(prepared(travellerSchema, { selector: { age: 31 } }))).count).toBe(1);
      expect(countsAsked()).toBe(1);
      expect((await instance.count(prepared(travellerSchema, { selector: { age: 31 } }))).count).toBe(1);
      expect(countsAsked()).toBe(1);
      // A write: the counts are asked again, and right.
      await instance.bulkWrite([{ document: stored(traveller({ id: 'c9', age: 30 })) }], 'test');
      expect((await instance.count(prepared(travellerSchema, { selector: { age: 30 } }))).count).toBe(4);
      expect(countsAsked()).toBe(2);
    } finally {
      counts.mockRestore();
      await instance.close();
    }
  });

  it('tells selectors apart by their content, not the order of their fields, and leaves out what JSON would blur', () => {
    expect(selectorText({ a: { $eq: 1 }, b: { $gt: 2, $lt: 5 } })).toBe(selectorText({ b: { $lt: 5, $gt: 2 }, a: { $eq: 1 } }));
    expect(selectorText({ a: { $in: [1, 2] } })).not.toBe(selectorText({ a: { $in: [2, 1] } }));
    expect(selectorText({ a: { $regex: /x/ } })).toBeUndefined();
    expect(selectorText({ a: { $eq: new Date(0) } })).toBeUndefined();
    expect(selectorText({ a: { $eq: Number.NaN } })).toBeUndefined();
  });
});
