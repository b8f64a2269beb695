import { join } from 'node:path';
import { serialize } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreOperation, StoreRequests, WorkerResponse } from '../protocol';
import { journaledBulkMinimum } from '../protocol';
import { quoteIdentifier, tableLayoutFor } from '../sql/table-layout';
import { stored, tempStoreDirectory, testKey, traveller, travellerSchema } from '../storage-test-support';
import { openDatabase } from './open-database';
import { handle } from './requests';

/** The store worker's handling of requests, called as its thread calls it. */
let nextId = 1;
function request<O extends StoreOperation>(operation: O, args: StoreRequests[O]['args']): StoreRequests[O]['result'] {
  const response: WorkerResponse = handle({ id: nextId++, operation, args });
  if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
  return response.result as StoreRequests[O]['result'];
}

const opened: number[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) request('closeDatabase', { database });
});

function openTravellers(file: string): number {
  const { database } = request('openDatabase', { file, key: testKey });
  opened.push(database);
  return request('openCollection', { database, collectionName: 'travellers', schema: travellerSchema as never }).collection;
}

const layout = tableLayoutFor('travellers', travellerSchema);

function journalRows(file: string): number {
  const reader = openDatabase(file, testKey, { readOnly: true });
  try {
    return reader.prepare(`SELECT count(*) FROM ${quoteIdentifier(layout.journalTable)}`).pluck().get() as number;
  } finally {
    reader.close();
  }
}

describe('a bulk of new documents whose ids went ahead', () => {
  const bulk = () => Array.from({ length: journaledBulkMinimum + 5 }, (_, n) => stored(traveller({ id: `b${n}` })));

  it('goes to the journal on the answer of the check just before it', () => {
    const file = join(tempStoreDirectory(), 'ahead.sqlite');
    const collection = openTravellers(file);
    const documents = bulk();
    const ids = documents.map((doc) => doc.id);
    expect(request('checkNewIds', { collection, ids })).toBe(true);
    expect(request('bulkInsertNew', { collection, ids, documents: serialize(documents), context: 'test' })).toBe('[]');
    expect(journalRows(file)).toBe(1);
    // The next request files it first.
    expect(request('count', { collection, query: { selector: {}, sort: [{ id: 'asc' }], skip: 0 } as never })).toBe(documents.length);
    expect(journalRows(file)).toBe(0);
  });

  it('is checked again when another request came between the check and the bulk', () => {
    const file = join(tempStoreDirectory(), 'between.sqlite');
    const collection = openTravellers(file);
    const documents = bulk();
    const ids = documents.map((doc) => doc.id);
    expect(request('checkNewIds', { collection, ids })).toBe(true);
    // Stored in between: the check's answer no longer holds.
    const first = stored(traveller({ id: 'b0', surname: 'FIRST' }));
    request('bulkWrite', { collection, rows: [{ document: first }] as never, context: 'test' });
    const before = JSON.parse(request('bulkInsertNew', { collection, ids, documents: serialize(documents), context: 'test' })) as { id: string; surname: string }[];
    // Answered as a write with a conflict on b0 (the document in the store comes back); the others are stored.
    expect(before.map((doc) => [doc.id, doc.surname])).toEqual([['b0', 'FIRST']]);
    expect(journalRows(file)).toBe(0);
    expect(request('count', { collection, query: { selector: {}, sort: [{ id: 'asc' }], skip: 0 } as never })).toBe(documents.length);
  });
});
