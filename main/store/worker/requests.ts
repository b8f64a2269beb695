import type Database from 'better-sqlite3-multiple-ciphers';
import { isStoreErrorCode } from '../errors';
import type { StoreOperation, StoreRequests, WorkerRequest, WorkerResponse } from '../protocol';
import { CollectionStore } from './collection-store';
import { openDatabase, syncWal } from './open-database';

/**
 * What the store worker does with each request (store-worker.ts hands them over): it owns
 * every SQLite connection of the station, so that SQL never runs on the main thread. It
 * handles one request at a time, which also serialises the writes to each database.
 */
const databases = new Map<number, { db: Database.Database; file: string; collections: Set<number> }>();
const collections = new Map<number, { store: CollectionStore; database: number }>();
let nextHandle = 1;

function databaseOf(handle: number) {
  const entry = databases.get(handle);
  if (!entry) throw Object.assign(new Error('This database is closed.'), { code: 'STORE_CLOSED' });
  return entry;
}

function collectionOf(handle: number): CollectionStore {
  const entry = collections.get(handle);
  if (!entry) throw Object.assign(new Error('This collection is closed.'), { code: 'STORE_CLOSED' });
  return entry.store;
}

/**
 * The answer of the request just handled when it was checkNewIds (see StoreRequests). It
 * holds for a bulkInsertNew of the same ids in the same collection that comes next, and
 * for nothing else: any other request in between could have changed the table.
 */
interface CheckedIds {
  collection: number;
  ids: string[];
  journalable: boolean;
}
let checkedJustBefore: CheckedIds | null = null;
let lastCheck: CheckedIds | null = null;

function answerOfCheck(collection: number, ids: string[]): boolean | undefined {
  const check = lastCheck;
  if (!check || check.collection !== collection || check.ids.length !== ids.length) return undefined;
  for (let n = 0; n < ids.length; n++) if (check.ids[n] !== ids[n]) return undefined;
  return check.journalable;
}

type Handlers = { [O in StoreOperation]: (args: StoreRequests[O]['args']) => StoreRequests[O]['result'] };

const handlers: Handlers = {
  openDatabase({ file, key }) {
    const database = nextHandle++;
    databases.set(database, { db: openDatabase(file, key), file, collections: new Set() });
    return { database };
  },
  closeDatabase({ database }) {
    const entry = databases.get(database);
    if (!entry) return null;
    for (const collection of entry.collections) collections.delete(collection);
    entry.db.close();
    databases.delete(database);
    return null;
  },
  openCollection({ database, collectionName, schema }) {
    const entry = databaseOf(database);
    const collection = nextHandle++;
    collections.set(collection, { store: new CollectionStore(entry.db, collectionName, schema), database });
    entry.collections.add(collection);
    return { collection };
  },
  closeCollection({ collection }) {
    const entry = collections.get(collection);
    if (entry) databases.get(entry.database)?.collections.delete(collection);
    collections.delete(collection);
    return null;
  },
  dropCollection({ collection }) {
    const entry = collections.get(collection);
    if (!entry) return { databaseEmpty: false };
    entry.store.drop();
    const database = databaseOf(entry.database);
    database.collections.delete(collection);
    collections.delete(collection);
    // SQLite's own tables (the statistics of ANALYZE) do not count as content.
    const tables = database.db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").pluck().get() as number;
    return { databaseEmpty: tables === 0 };
  },
  bulkWrite: ({ collection, rows, context }) => collectionOf(collection).bulkWrite(rows, context),
  bulkInsertNew: ({ collection, ids, documents, context }) => collectionOf(collection).bulkInsertNew(ids, documents, context, answerOfCheck(collection, ids)),
  checkNewIds({ collection, ids }) {
    const journalable = collectionOf(collection).journalable(ids);
    checkedJustBefore = { collection, ids, journalable };
    return journalable;
  },
  findByIds: ({ collection, ids, withDeleted }) => collectionOf(collection).findByIds(ids, withDeleted),
  query: ({ collection, query }) => collectionOf(collection).query(query),
  queryIds: ({ collection, query }) => collectionOf(collection).queryIds(query),
  count: ({ collection, query }) => collectionOf(collection).count(query),
  explain: ({ collection, query }) => collectionOf(collection).explain(query),
  changedSince: ({ collection, limit, checkpoint }) => collectionOf(collection).changedSince(limit, checkpoint),
  attachment: ({ collection, documentId, attachmentId, digest }) => collectionOf(collection).attachment(documentId, attachmentId, digest),
  cleanup: ({ collection, deletedBefore }) => collectionOf(collection).cleanup(deletedBefore),
  importPage: ({ collection, json, lwt, rev }) => collectionOf(collection).importPage(json, lwt, rev),
  deferIndexes({ collection, deferred }) {
    collectionOf(collection).deferIndexes(deferred);
    return null;
  },
  foldWal({ database }) {
    databaseOf(database).db.pragma('wal_checkpoint(TRUNCATE)');
    return null;
  },
  integrityCheck: ({ database }) => (databaseOf(database).db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check),
  backup({ database, target }) {
    // VACUUM INTO writes a consistent, compacted copy (encrypted with the same key) while
    // the station keeps working: readers and the WAL are not disturbed.
    const { db } = databaseOf(database);
    db.prepare('VACUUM INTO ?').run(target);
    return { pages: db.pragma('page_count', { simple: true }) as number };
  },
};

/**
 * Files every collection's journaled bulks into their tables (see CollectionStore.bulkInsertNew).
 * Runs before each request, so that every request sees the tables as every write before
 * it left them, and once the answer to a journaled bulk has gone.
 */
function fileJournals(): void {
  for (const { store } of collections.values()) store.fileJournal();
}

function fileJournalsWhenIdle(): void {
  try {
    fileJournals();
  } catch {
    // The bulks stay in the journal, safe: the next request files them, or answers why it cannot.
  }
}

/** How long the worker waits for another request before it flushes the WAL of writes that did not wait for the disk. */
const idleBeforeWalSync = 5;
let walSync: NodeJS.Timeout | undefined;

/**
 * Flushes the WAL of each database that has commits which did not wait for the disk (a
 * filed journal bulk, an import page; see syncWal), once the worker has been idle for
 * idleBeforeWalSync: during an import the pages follow each other, and between them the
 * worker would only delay the next.
 */
function syncWalsWhenIdle(): void {
  clearTimeout(walSync);
  walSync = setTimeout(() => {
    for (const { db, collections: handles } of databases.values()) {
      let unsynced = false;
      for (const handle of handles) if (collections.get(handle)?.store.takeUnsyncedWrites()) unsynced = true;
      try {
        if (unsynced) syncWal(db);
      } catch {
        // A disk that fails a flush fails the next commit too, which reports it.
      }
    }
  }, idleBeforeWalSync);
  walSync.unref();
}

export function handle(request: WorkerRequest): WorkerResponse {
  lastCheck = checkedJustBefore;
  checkedJustBefore = null;
  try {
    fileJournals();
    const run = handlers[request.operation] as (args: unknown) => unknown;
    return { id: request.id, ok: true, result: run(request.args) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      id: request.id,
      ok: false,
      error: { code: isStoreErrorCode(code) ? code : 'STORE_INTERNAL', message: (error as Error).message ?? String(error) },
    };
  }
}

/** Called once the answer to a request has gone: files journaled bulks, and flushes the WAL once idle. */
export function afterAnswer(): void {
  if ([...collections.values()].some(({ store }) => store.hasJournal)) setImmediate(fileJournalsWhenIdle);
  syncWalsWhenIdle();
}
