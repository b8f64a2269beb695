import { serialize } from 'node:v8';
import type { Observable, Subject } from 'rxjs';
import {
  categorizeBulkWriteRows,
  getPrimaryFieldOfPrimaryKey,
  now,
  type BulkWriteRow,
  type EventBulk,
  type PreparedQuery,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageBulkWriteResponse,
  type RxStorageChangeEvent,
  type RxStorageCountResult,
  type RxStorageDefaultCheckpoint,
  type RxStorageInstance,
  type RxStorageQueryResult,
} from 'rxdb';
import { selectorText, type DocumentCache } from './document-cache';
import { StoreError } from './errors';
import { journaledBulkMinimum } from './protocol';
import type { StoreWorkerClient } from './worker-client';

export interface SqliteInternals {
  /** The database file this collection lives in. */
  file: string;
}

export type SqliteInstanceOptions = Record<string, never>;

type Doc<T> = RxDocumentData<T>;
type ChangeBulk<T> = EventBulk<RxStorageChangeEvent<Doc<T>>, RxStorageDefaultCheckpoint>;

/** What all instances of one collection in this process share: its change stream. */
export interface CollectionState {
  changes: Subject<ChangeBulk<unknown>>;
  instances: number;
}

export interface InstanceWiring {
  client: StoreWorkerClient;
  database: number;
  collection: number;
  /** This collection's documents kept on the main thread (shared by its instances in this process). */
  cache: DocumentCache<RxDocumentData<unknown>>;
  state: CollectionState;
  /** Called once when the instance closes (or is removed), to release the database. */
  release(dropped: boolean): Promise<void>;
}

/**
 * Blobs cannot cross into the worker: attachment data goes as bytes. The bytes keep the
 * Blob's `size`, which RxDB's categorisation in the worker reads as the attachment length.
 * Only rows with new attachment data are copied; the rest pass through as they are.
 */
async function withAttachmentBytes<T>(rows: BulkWriteRow<T>[]): Promise<BulkWriteRow<T>[]> {
  return Promise.all(
    rows.map(async (row) => {
      const attachments = row.document._attachments as Record<string, { data?: Blob }>;
      const withData = Object.entries(attachments).filter(([, attachment]) => attachment.data instanceof Blob);
      if (withData.length === 0) return row;
      const converted: Record<string, unknown> = { ...attachments };
      for (const [id, attachment] of withData) converted[id] = { ...attachment, data: { size: attachment.data!.size, bytes: new Uint8Array(await attachment.data!.arrayBuffer()) } };
      return { ...row, document: { ...row.document, _attachments: converted } } as BulkWriteRow<T>;
    }),
  );
}

/**
 * One RxDB collection on the SQLite storage, as RxDB sees it. The SQL runs in the store
 * worker; this side validates nothing RxDB has not already validated, keeps the change
 * stream, and rebuilds the write results (conflicts and events) with RxDB's own
 * categorisation from the state the worker saw inside its write transaction.
 */
export class SqliteStorageInstance<T> implements RxStorageInstance<T, SqliteInternals, SqliteInstanceOptions, RxStorageDefaultCheckpoint> {
  readonly primaryPath: string;
  private closed: Promise<void> | undefined;

  constructor(
    readonly databaseName: string,
    readonly collectionName: string,
    readonly schema: Readonly<RxJsonSchema<Doc<T>>>,
    readonly internals: Readonly<SqliteInternals>,
    readonly options: Readonly<SqliteInstanceOptions>,
    private readonly wiring: InstanceWiring,
  ) {
    this.primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
  }

  async bulkWrite(documentWrites: BulkWriteRow<T>[], context: string): Promise<RxStorageBulkWriteResponse<T>> {
    this.ensureOpen();
    if (documentWrites.length === 0) return { error: [] };
    const collection = this.wiring.collection;
    let answer: Promise<string>;
    if (documentWrites.length >= journaledBulkMinimum && documentWrites.every((row) => !row.previous && Object.keys(row.document._attachments ?? {}).length === 0)) {
      // Serialized as V8 does for postMessage (in half the time of JSON text and its UTF-8),
      // and the bytes moved to the worker, which keeps them as they are in the journal.
      const documents = documentWrites.map((row) => row.document);
      const ids = documents.map(this.idOf);
      // The ids go ahead: the worker looks them up while this thread serializes. The
      // insert carries its own outcome (a failed check is looked at again there).
      this.call('checkNewIds', { collection, ids }).catch(() => undefined);
      const bytes = serialize(documents);
      answer = this.call('bulkInsertNew', { collection, ids, documents: bytes, context }, [bytes.buffer as ArrayBuffer]);
    } else if (this.schema.attachments) {
      // With attachments the rows are converted first; the client still sends this write
      // before any request made after it.
      answer = this.call('bulkWrite', withAttachmentBytes(documentWrites).then((rows) => ({ collection, rows: rows as BulkWriteRow<never>[], context })));
    } else {
      answer = this.call('bulkWrite', { collection, rows: documentWrites as BulkWriteRow<never>[], context });
    }
    const categorized = categorizeBulkWriteRows<T>(this, this.primaryPath as never, this.byId(await answer), documentWrites, context);
    this.cache.rememberWrite([...categorized.bulkInsertDocs, ...categorized.bulkUpdateDocs].map((row) => row.document), this.idOf);
    if (categorized.eventBulk.events.length > 0 && categorized.newestRow) {
      const newest = categorized.newestRow.document as Doc<T> & Record<string, unknown>;
      categorized.eventBulk.checkpoint = { id: newest[this.primaryPath] as string, lwt: newest._meta.lwt };
      this.wiring.state.changes.next(categorized.eventBulk as ChangeBulk<unknown>);
    }
    return { error: categorized.errors };
  }

  /** The documents of the worker's answer to a write (a JSON array), by id. */
  private byId(json: string): Map<string, Doc<T>> {
    const docs = new Map<string, Doc<T>>();
    for (const doc of JSON.parse(json) as Doc<T>[]) docs.set(this.idOf(doc), doc);
    return docs;
  }

  async findDocumentsById(ids: string[], withDeleted: boolean): Promise<Doc<T>[]> {
    this.ensureOpen();
    if (ids.length === 0) return [];
    const found: Doc<T>[] = [];
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const cached = this.cache.get(id);
      if (cached) found.push(cached);
      else missing.push(id);
    }
    if (missing.length > 0) found.push(...(await this.fetch(missing)));
    return withDeleted ? found : found.filter((doc) => !doc._deleted);
  }

  /**
   * The query runs in the worker, which answers with the ids of the matches; the documents
   * come from the cache (which holds the current state of every document it has, since
   * every write passes through it), and only those it lacks are fetched. Should a write
   * come in between, the query is simply run again the plain way.
   */
  async query(preparedQuery: PreparedQuery<T>): Promise<RxStorageQueryResult<T>> {
    this.ensureOpen();
    const query = preparedQuery.query as never;
    const writesBefore = this.cache.writes;
    const answer = await this.call('queryIds', { collection: this.wiring.collection, query });
    if ('documents' in answer) {
      const documents = JSON.parse(answer.documents) as Doc<T>[];
      this.cache.rememberRead(documents, this.idOf, writesBefore);
      this.rememberMatchCount(preparedQuery, documents.length, writesBefore);
      return { documents };
    }
    const matches = JSON.parse(answer.ids) as string[];
    this.rememberMatchCount(preparedQuery, matches.length, writesBefore);
    const first = this.fromCache(matches);
    let documents = first.documents;
    if (first.missing.length > 0) {
      await this.fetch(first.missing);
      documents = this.fromCache(matches).documents;
    }
    if (this.cache.writes === writesBefore && documents.length === matches.length) return { documents };
    // A write overlapped, or the cache could not hold the page: read the documents themselves.
    return { documents: JSON.parse(await this.call('query', { collection: this.wiring.collection, query })) as Doc<T>[] };
  }

  /** The documents with these ids that the cache holds, in order, and the ids it lacks. */
  private fromCache(ids: string[]): { documents: Doc<T>[]; missing: string[] } {
    const documents: Doc<T>[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const doc = this.cache.get(id);
      if (doc) documents.push(doc);
      else missing.push(id);
    }
    return { documents, missing };
  }

  /** Reads documents from the store (deleted ones too) and keeps them in the cache. */
  private async fetch(ids: string[]): Promise<Doc<T>[]> {
    const writesWhenAsked = this.cache.writes;
    const docs = JSON.parse(await this.call('findByIds', { collection: this.wiring.collection, ids, withDeleted: true })) as Doc<T>[];
    this.cache.rememberRead(docs, this.idOf, writesWhenAsked);
    return docs;
  }

  /**
   * Counts in the store worker, unless the count of the same selector is known since the
   * last write: from an earlier count, or from a query of all its matches (a list and its
   * count on one screen cost one trip).
   */
  async count(preparedQuery: PreparedQuery<T>): Promise<RxStorageCountResult> {
    this.ensureOpen();
    const selector = selectorText(preparedQuery.query.selector);
    const known = selector === undefined ? undefined : this.cache.matchCount(selector);
    if (known !== undefined) return { count: known, mode: 'fast' };
    const writesBefore = this.cache.writes;
    const count = await this.call('count', { collection: this.wiring.collection, query: preparedQuery.query as never });
    if (selector !== undefined) this.cache.rememberMatchCount(selector, count, writesBefore);
    return { count, mode: 'fast' };
  }

  /** A query answered with all its matches (no skip, no limit) tells how many match its selector. */
  private rememberMatchCount(preparedQuery: PreparedQuery<T>, matches: number, writesBefore: number): void {
    const { skip, limit, selector } = preparedQuery.query;
    if ((skip ?? 0) > 0 || limit !== undefined) return;
    const text = selectorText(selector);
    if (text !== undefined) this.cache.rememberMatchCount(text, matches, writesBefore);
  }

  /** SQLite's plan for a query: which index it uses. For diagnostics and tests. */
  explain(preparedQuery: PreparedQuery<T>): Promise<string[]> {
    this.ensureOpen();
    return this.call('explain', { collection: this.wiring.collection, query: preparedQuery.query as never });
  }

  /**
   * Imports a page of new documents as the sync server sent it (JSON text with a
   * `documents` array, already parsed by the caller as `documents`): the worker parses
   * and inserts its copy, this side emits the change events from the caller's, so that
   * RxDB's collection, its queries and documents see the inserts as after any bulkWrite.
   * Returns false, having written nothing, when one of the documents exists already.
   * Once imported, the caller's documents are the stored ones: they get the storage
   * fields in place (a copy of each was most of this side's work in an initial pull).
   */
  async importPage(json: string, documents: (Record<string, unknown> & { _deleted: boolean })[], rev: string): Promise<boolean> {
    this.ensureOpen();
    const lwt = now();
    if (!(await this.call('importPage', { collection: this.wiring.collection, json, lwt, rev }))) return false;
    const inserted = documents.filter((document) => !document._deleted).map((document) => Object.assign(document, { _attachments: {}, _meta: { lwt }, _rev: rev }) as unknown as Doc<T>);
    this.cache.rememberWrite(inserted, this.idOf);
    // The checkpoint of the bulk is its greatest (lwt, id); all share the lwt.
    let last: Doc<T> | undefined;
    for (const doc of inserted) if (!last || this.idOf(doc) > this.idOf(last)) last = doc;
    if (last) {
      this.wiring.state.changes.next({
        id: `${this.collectionName}-import-${lwt}`,
        events: inserted.map((documentData) => ({ documentId: this.idOf(documentData), operation: 'INSERT' as const, documentData, previousDocumentData: undefined })),
        checkpoint: { id: this.idOf(last), lwt },
        context: 'mis-import',
      } as ChangeBulk<unknown>);
    }
    return true;
  }

  /**
   * Drops (true) or builds again (false) the collection's secondary indexes, around a bulk
   * load into a collection; see CollectionStore.deferIndexes.
   */
  deferIndexes(deferred: boolean): Promise<null> {
    this.ensureOpen();
    return this.call('deferIndexes', { collection: this.wiring.collection, deferred });
  }

  /**
   * Folds the WAL into the database file and truncates it, so that the pages written before
   * (a purged record's among them) are no longer in the WAL file. Waits for readers of
   * other connections to the file (a backup) to finish, up to the busy timeout.
   */
  foldWal(): Promise<null> {
    this.ensureOpen();
    return this.call('foldWal', { database: this.wiring.database });
  }

  /** SQLite's integrity check of the whole database file: ['ok'] when it is sound. */
  integrityCheck(): Promise<string[]> {
    this.ensureOpen();
    return this.call('integrityCheck', { database: this.wiring.database });
  }

  async getAttachmentData(documentId: string, attachmentId: string, digest: string): Promise<Blob> {
    this.ensureOpen();
    const { type, data } = await this.call('attachment', { collection: this.wiring.collection, documentId, attachmentId, digest });
    return new Blob([data], { type });
  }

  async getChangedDocumentsSince(limit: number, checkpoint?: RxStorageDefaultCheckpoint): Promise<{ documents: Doc<T>[]; checkpoint: RxStorageDefaultCheckpoint }> {
    this.ensureOpen();
    const documents = JSON.parse(await this.call('changedSince', { collection: this.wiring.collection, limit, checkpoint })) as (Doc<T> & Record<string, unknown>)[];
    const last = documents[documents.length - 1];
    return { documents, checkpoint: last ? { id: last[this.primaryPath] as string, lwt: last._meta.lwt } : (checkpoint ?? { id: '', lwt: 0 }) };
  }

  changeStream(): Observable<ChangeBulk<T>> {
    this.ensureOpen();
    return this.wiring.state.changes.asObservable() as Observable<ChangeBulk<T>>;
  }

  async cleanup(minimumDeletedTime: number): Promise<boolean> {
    this.ensureOpen();
    // Purged documents must not live on in the cache.
    this.cache.clear();
    return this.call('cleanup', { collection: this.wiring.collection, deletedBefore: now() - minimumDeletedTime });
  }

  close(): Promise<void> {
    this.closed ??= this.wiring.release(false);
    return this.closed;
  }

  async remove(): Promise<void> {
    this.ensureOpen();
    this.closed = this.wiring.release(true);
    return this.closed;
  }

  private call: StoreWorkerClient['call'] = (operation, args, transfer) => this.wiring.client.call(operation, args, transfer);

  private readonly idOf = (doc: Doc<unknown>): string => (doc as Record<string, unknown>)[this.primaryPath] as string;

  private get cache(): DocumentCache<Doc<T>> {
    return this.wiring.cache as DocumentCache<Doc<T>>;
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', `The ${this.collectionName} collection of ${this.databaseName} is closed.`);
  }
}
