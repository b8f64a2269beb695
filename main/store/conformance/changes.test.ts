import { filter, map } from 'rxjs';
import {
  flattenEvents,
  getChangedDocumentsSince,
  parseRevision,
  stackCheckpoints,
  type EventBulk,
  type RxDocumentData,
  type RxStorageChangeEvent,
  type RxStorageDefaultCheckpoint,
} from 'rxdb';
import { describe, expect, it } from 'vitest';
import { conformanceStorages, context, entry, entrySchema, insertAll, revise, writeAll, type Entry, type Instance } from './support';

/**
 * What changed, two ways: getChangedDocumentsSince() pages through documents in write
 * order from a checkpoint (replication and backup use it), and changeStream() emits one
 * event bulk per write. RxDB's helper getChangedDocumentsSince() is used so that the
 * memory storage, which has no such method, answers through a query as RxDB does.
 */
const { targets, open } = conformanceStorages();

type Bulk = EventBulk<RxStorageChangeEvent<RxDocumentData<Entry>>, RxStorageDefaultCheckpoint>;

function record(instance: Instance<Entry>): { bulks: Bulk[]; stop(): void } {
  const bulks: Bulk[] = [];
  const subscription = instance.changeStream().subscribe((bulk) => bulks.push(bulk as Bulk));
  return { bulks, stop: () => subscription.unsubscribe() };
}

async function changedSince(instance: Instance<Entry>, limit: number, checkpoint?: RxStorageDefaultCheckpoint) {
  return getChangedDocumentsSince(instance, limit, checkpoint) as Promise<{ documents: RxDocumentData<Entry>[]; checkpoint: RxStorageDefaultCheckpoint }>;
}

describe.each(targets)('getChangedDocumentsSince on the $name storage', ({ storage }) => {
  it('returns nothing before anything was written', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    expect((await changedSince(instance, 10)).documents).toEqual([]);
  });

  it('returns a written document with a checkpoint of its id and write time', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [doc] = await insertAll(instance, [entry('a')]);
    const result = await changedSince(instance, 10);
    expect(result.documents).toEqual([doc]);
    expect(result.checkpoint).toEqual({ id: 'a', lwt: doc!._meta.lwt });
  });

  it('gives back the very checkpoint it was given when nothing changed after it', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    await insertAll(instance, [entry('a')]);
    const { checkpoint } = await changedSince(instance, 10);
    const again = await changedSince(instance, 10, checkpoint);
    expect(again.documents).toEqual([]);
    expect(again.checkpoint).toEqual(checkpoint);
  });

  it('returns the deleted state of a document deleted after the checkpoint', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [doc] = await insertAll(instance, [entry('a')]);
    const { checkpoint } = await changedSince(instance, 10);
    const deleted = revise(doc!, { _deleted: true });
    await writeAll(instance, [{ previous: doc!, document: deleted }]);
    expect((await changedSince(instance, 10, checkpoint)).documents).toEqual([deleted]);
    // From the start, the document shows up once, in its newest (deleted) state.
    expect((await changedSince(instance, 100)).documents).toEqual([deleted]);
  });

  it('returns each document once, in its newest state, however often it was changed', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    let current = (await insertAll(instance, [entry('often', '0'), entry('once')]))[0]!;
    for (let i = 1; i <= 10; i++) {
      const next = revise(current, { value: String(i) });
      await writeAll(instance, [{ previous: current, document: next }]);
      current = next;
    }
    const result = await changedSince(instance, 10);
    expect(result.documents.map((doc) => doc.id).sort()).toEqual(['often', 'once']);
    expect(result.documents.find((doc) => doc.id === 'often')).toEqual(current);
  });

  it('pages through all changes with a limit, and the page after the last one is empty', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    await insertAll(
      instance,
      Array.from({ length: 12 }, (_, i) => entry(`p${i}`)),
    );
    expect((await changedSince(instance, 100)).documents).toHaveLength(12);
    const seen: string[] = [];
    let checkpoint: RxStorageDefaultCheckpoint | undefined;
    const pageSizes: number[] = [];
    for (let page = 0; page < 4; page++) {
      const result = await changedSince(instance, 5, checkpoint);
      pageSizes.push(result.documents.length);
      seen.push(...result.documents.map((doc) => doc.id));
      checkpoint = result.checkpoint;
    }
    expect(pageSizes).toEqual([5, 5, 2, 0]);
    expect(new Set(seen).size).toBe(12);
  });

  it('misses nothing when new documents are written between pages', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const seen = new Set<string>();
    let written = 0;
    const writeFive = () => insertAll(
      instance,
      Array.from({ length: 5 }, () => entry(`w${written++}`)),
    );
    await writeFive();
    let checkpoint: RxStorageDefaultCheckpoint | undefined;
    let rounds = 0;
    while (seen.size < 40) {
      rounds++;
      const result = await changedSince(instance, 4, checkpoint);
      for (const doc of result.documents) seen.add(doc.id);
      checkpoint = result.checkpoint;
      if (written < 40) await writeFive();
      if (rounds > 50) break;
    }
    expect(seen.size).toBe(40);
    expect(rounds).toBe(10);
  });

  it('orders documents of the same write time by primary key, and pages across them', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const sameTime = 1_000_000;
    await insertAll(
      instance,
      ['d', 'b', 'a', 'c'].map((id) => entry(id, id, { _meta: { lwt: sameTime } })),
    );
    await insertAll(instance, [entry('e')]);
    const seen: string[] = [];
    let checkpoint: RxStorageDefaultCheckpoint | undefined;
    for (;;) {
      const result = await changedSince(instance, 2, checkpoint);
      if (result.documents.length === 0) break;
      seen.push(...result.documents.map((doc) => doc.id));
      checkpoint = result.checkpoint;
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe.each(targets)('changeStream on the $name storage', ({ storage }) => {
  it('emits exactly one event bulk for a write, before bulkWrite resolves, through rxjs operators', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const bulks: Bulk[] = [];
    const subscription = instance
      .changeStream()
      .pipe(
        map((bulk) => bulk),
        filter(() => true),
      )
      .subscribe((bulk) => bulks.push(bulk as Bulk));
    const [doc] = await insertAll(instance, [entry('a')]);
    // No waiting: the event must already be there when the write resolves.
    expect(bulks).toHaveLength(1);
    expect(bulks[0]!.events).toHaveLength(1);
    expect(bulks[0]!.events[0]).toMatchObject({ documentId: 'a', operation: 'INSERT', documentData: doc });
    expect(bulks[0]!.events[0]!.documentData._meta.lwt).toBe(doc!._meta.lwt);
    subscription.unsubscribe();
  });

  it('gives each bulk its own id, the write context and a checkpoint', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const { bulks, stop } = record(instance);
    await instance.bulkWrite([{ document: entry('a') }], 'first-context');
    await instance.bulkWrite([{ document: entry('b') }, { document: entry('c') }], 'second-context');
    stop();
    expect(bulks.map((bulk) => bulk.context)).toEqual(['first-context', 'second-context']);
    expect(bulks[0]!.id).not.toBe(bulks[1]!.id);
    expect(bulks[1]!.events.map((event) => event.documentId)).toEqual(['b', 'c']);
    expect(bulks[1]!.checkpoint).toEqual({ id: 'c', lwt: bulks[1]!.events[1]!.documentData._meta.lwt });
  });

  it('leaves nothing newer for getChangedDocumentsSince after the stacked checkpoints of its bulks', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const { bulks, stop } = record(instance);
    await insertAll(instance, [entry('first')]);
    await insertAll(
      instance,
      Array.from({ length: 10 }, (_, i) => entry(`more${i}`)),
    );
    stop();
    const checkpoint = stackCheckpoints(bulks.map((bulk) => bulk.checkpoint));
    expect((await changedSince(instance, 100, checkpoint)).documents).toEqual([]);
  });

  it('emits INSERT, UPDATE and DELETE, with the previous state of the document', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const { bulks, stop } = record(instance);
    const [v1] = await insertAll(instance, [entry('a', 'one')]);
    const v2 = revise(v1!, { value: 'two' });
    await writeAll(instance, [{ previous: v1!, document: v2 }]);
    const v3 = revise(v2, { _deleted: true });
    await writeAll(instance, [{ previous: v2, document: v3 }]);
    stop();
    const events = flattenEvents(bulks);
    expect(events.map((event) => event.operation)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    expect(events[1]).toMatchObject({ documentData: v2, previousDocumentData: v1 });
    expect(events[2]).toMatchObject({ documentData: v3, previousDocumentData: v2 });
    expect(parseRevision(events[2]!.previousDocumentData!._rev).height).toBe(2);
  });

  it('emits INSERT when a deleted document is brought back', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const [v1] = await insertAll(instance, [entry('a')]);
    const deleted = revise(v1!, { _deleted: true });
    await writeAll(instance, [{ previous: v1!, document: deleted }]);
    const { bulks, stop } = record(instance);
    await writeAll(instance, [{ previous: deleted, document: revise(deleted, { _deleted: false }) }]);
    stop();
    expect(flattenEvents(bulks).map((event) => event.operation)).toEqual(['INSERT']);
  });

  it('emits no bulk at all for a write that only conflicted', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const doc = entry('a');
    const { bulks, stop } = record(instance);
    await writeAll(instance, [{ document: doc }]);
    const conflict = await instance.bulkWrite([{ document: doc }], context);
    stop();
    expect(conflict.error).toHaveLength(1);
    expect(bulks).toHaveLength(1);
    expect(bulks[0]!.events).toHaveLength(1);
  });

  it('emits only the rows of a bulk that were written', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    await insertAll(instance, [entry('taken')]);
    const { bulks, stop } = record(instance);
    await instance.bulkWrite([{ document: entry('x') }, { document: entry('taken') }, { document: entry('y') }], context);
    stop();
    expect(flattenEvents(bulks).map((event) => event.documentId)).toEqual(['x', 'y']);
  });

  it('emits no event for a document that arrives already deleted', async () => {
    const instance = await open<Entry>(storage, entrySchema);
    const { bulks, stop } = record(instance);
    await writeAll(instance, [{ document: entry('tombstone', 'x', { _deleted: true }) }]);
    stop();
    expect(flattenEvents(bulks)).toEqual([]);
  });
});
