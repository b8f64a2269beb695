import type { BulkWriteRow, FilledMangoQuery, RxDocumentData, RxJsonSchema, RxStorageDefaultCheckpoint } from 'rxdb';
import type { StoreErrorCode } from './errors';

/**
 * Messages between the main thread and the store worker. Every request names the
 * database (by file) or the collection (by the handle the worker gave it).
 */
type Doc = RxDocumentData<Record<string, unknown>>;

export interface StoreRequests {
  openDatabase: { args: { file: string; key: string | null }; result: { database: number } };
  closeDatabase: { args: { database: number }; result: null };
  openCollection: { args: { database: number; collectionName: string; schema: RxJsonSchema<Doc> }; result: { collection: number } };
  closeCollection: { args: { collection: number }; result: null };
  dropCollection: { args: { collection: number }; result: { databaseEmpty: boolean } };
  bulkWrite: { args: { collection: number; rows: BulkWriteRow<Doc>[]; context: string }; result: string };
  /**
   * A bulk of new documents (no row with a previous state) of at least journaledBulkMinimum,
   * as the bytes of V8's serialization of the array (node:v8 serialize), with their ids beside: acknowledged once it is in the
   * collection's journal, filed into its table right after. Answers as bulkWrite.
   */
  bulkInsertNew: { args: { collection: number; ids: string[]; documents: Uint8Array; context: string }; result: string };
  /**
   * Sent just before a bulkInsertNew with the same ids, so that the worker looks them up
   * while the main thread serializes the documents: whether the bulk can go to the
   * journal (none of the ids stored, none twice). The bulkInsertNew that comes right after
   * uses this answer instead of looking again.
   */
  checkNewIds: { args: { collection: number; ids: string[] }; result: boolean };
  findByIds: { args: { collection: number; ids: string[]; withDeleted: boolean }; result: string };
  query: { args: { collection: number; query: FilledMangoQuery<Doc> }; result: string };
  /**
   * The same as query for a main thread with a document cache: the ids of the matches in
   * order, or, for a page of a few documents, the documents themselves (one trip instead of two).
   */
  queryIds: { args: { collection: number; query: FilledMangoQuery<Doc> }; result: { ids: string } | { documents: string } };
  count: { args: { collection: number; query: FilledMangoQuery<Doc> }; result: number };
  explain: { args: { collection: number; query: FilledMangoQuery<Doc> }; result: string[] };
  changedSince: { args: { collection: number; limit: number; checkpoint: RxStorageDefaultCheckpoint | undefined }; result: string };
  attachment: { args: { collection: number; documentId: string; attachmentId: string; digest: string }; result: { type: string; data: Uint8Array } };
  cleanup: { args: { collection: number; deletedBefore: number }; result: boolean };
  integrityCheck: { args: { database: number }; result: string[] };
  /** Folds the WAL into the database file and truncates it: nothing written before stays in the WAL file. */
  foldWal: { args: { database: number }; result: null };
  deferIndexes: { args: { collection: number; deferred: boolean }; result: null };
  /**
   * Inserts the new documents of a page of JSON (`{ "documents": [...] }`, as the sync
   * server sends it) as they are, with the given revision and lwt; false, with nothing
   * written, when one of them exists already.
   */
  importPage: { args: { collection: number; json: string; lwt: number; rev: string }; result: boolean };
  backup: { args: { database: number; target: string }; result: { pages: number } };
}

export type StoreOperation = keyof StoreRequests;

/**
 * From this many new documents on, a bulk goes through the journal (bulkInsertNew): its
 * index updates then happen after the caller has its answer. A smaller bulk is written
 * straight into its table, one commit instead of two.
 */
export const journaledBulkMinimum = 100;

export interface WorkerRequest<O extends StoreOperation = StoreOperation> {
  id: number;
  operation: O;
  args: StoreRequests[O]['args'];
}

export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: StoreErrorCode; message: string } };
