import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { deserialize } from 'node:v8';
import {
  categorizeBulkWriteRows,
  getQueryMatcher,
  getSortComparator,
  type BulkWriteRow,
  type FilledMangoQuery,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageDefaultCheckpoint,
  type RxStorageInstance,
} from 'rxdb';
import { StoreError } from '../errors';
import { translateSelector, translateSort, type SqlValue } from '../sql/mango-to-sql';
import { documentTexts } from './page-text';
import { fromOrderKey, fromOrderKeyHex, indexedValues, jsonPath, orderKey, orderKeyIsUtf8, quoteIdentifier, sqlString, tableLayoutFor, type TableLayout } from '../sql/table-layout';

type Doc = RxDocumentData<Record<string, unknown>>;

/** Attachment bytes as they arrive from the main thread (Blobs do not cross into the worker). */
export interface AttachmentBytes {
  length: number;
  type: string;
  digest: string;
  data: { size: number; bytes: Uint8Array };
}


/**
 * Whether SQLite's JSON functions can import a page exactly as the JS path would: no
 * surrogates anywhere (raw or escaped), so that every string's key is its UTF-8; and no
 * storage field names anywhere, so that appending the storage fields cannot repeat a key.
 */
function importableInSql(json: string): boolean {
  return !/[\uD800-\uDFFF]|\\u[dD][89abAB]|"_meta"|"_rev"|"_attachments"/.test(json);
}

/**
 * The statement of importPageInSql, with named parameters json, lwt, rev and storageFields.
 * Each document's text is turned into SQLite's binary JSON once (the MATERIALIZED step),
 * and its fields are read from that: read from the text, every json_type and json_extract
 * would look through it again, which cost some 15% of a page's import.
 */
function pageImportSql(layout: TableLayout, insertColumns: string[]): string {
  const at = (path: string) => sqlString(jsonPath(path));
  const fieldValue = ({ path, type }: TableLayout['indexedFields'][number]): string => {
    // As columnValue has it: a value of another type (or none) is NULL.
    if (type === 'string') return `CASE WHEN json_type(binary, ${at(path)}) = 'text' THEN CAST(json_extract(binary, ${at(path)}) AS BLOB) END`;
    if (type === 'number') return `CASE WHEN json_type(binary, ${at(path)}) IN ('integer', 'real') THEN json_extract(binary, ${at(path)}) END`;
    return `CASE json_type(binary, ${at(path)}) WHEN 'true' THEN 1 WHEN 'false' THEN 0 END`;
  };
  const values = [
    `CAST(json_extract(binary, ${at(layout.primaryPath)}) AS BLOB)`,
    '0',
    '@lwt',
    '@rev',
    `substr(text, 1, length(text) - 1) || @storageFields`,
    ...layout.indexedFields.map(fieldValue),
  ];
  return (
    `WITH page AS MATERIALIZED (SELECT value AS text, jsonb(value) AS binary FROM json_each(@json, '$.documents')) ` +
    `INSERT INTO ${quoteIdentifier(layout.docsTable)} (${insertColumns.join(', ')}) SELECT ${values.join(', ')} FROM page WHERE json_type(binary, '$._deleted') IS NOT 'true'`
  );
}

/**
 * What an imported document's text gets in place of its closing brace: the storage fields
 * of RxDB (no attachments, the write time, the revision) and the brace. Both import paths
 * append it, so that they store the same text.
 */
function storageFieldsText(lwt: number, rev: string): string {
  return `,"_attachments":{},"_meta":{"lwt":${JSON.stringify(lwt)}},"_rev":${JSON.stringify(rev)}}`;
}

/** A surrogate without its other half (a string that is not well-formed UTF-16). */
const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Rolls back the import of a page with a document the table has (see importPage). */
class PageHasKnownDocument extends Error {}

function utf8Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * The documents of a journaled bulk: V8's serialization of the array (what the main thread
 * sends; it begins with the version tag 0xFF), or, in a journal written by an earlier
 * version, the UTF-8 of its JSON (which begins with '[').
 */
function bulkDocuments(bytes: Uint8Array): Doc[] {
  if (bytes[0] === 0xff) return deserialize(bytes) as Doc[];
  return JSON.parse(utf8Text(bytes)) as Doc[];
}

/** Documents travel back to the main thread as one JSON array text: one copy, one parse. */
function jsonArray(rows: string[]): string {
  return `[${rows.join(',')}]`;
}

/**
 * One collection's tables in the worker: every storage call for that collection becomes
 * SQL here. All writes of a bulk happen in one transaction, and the conflict check reads
 * the rows inside that transaction, so no other write can come between.
 */
export class CollectionStore {
  readonly layout: TableLayout;
  private readonly docs: string;
  /** Rows written since SQLite's statistics were last refreshed. */
  private writtenSinceAnalysis = 0;
  /**
   * During a bulk load (see deferIndexes), the ids in the table: their unique index is set
   * aside, and this keeps the promise it keeps otherwise (one row per id). Null otherwise.
   */
  private bulkLoadIds: Set<string> | null = null;
  /** Prepared queries by their SQL: RxDB repeats the same query shapes over and over. */
  private readonly preparedQueries = new Map<string, Statement>();
  private readonly attachments: string;
  private readonly journal: string;
  /** True while the journal holds bulks not yet filed into the documents table (see bulkInsertNew). */
  private journalPending = false;
  /** True after a commit that did not wait for the disk, until takeUnsyncedWrites (see syncWal). */
  private unsyncedWrites = false;
  private readonly statements: {
    byIdsWithDeleted: Statement;
    byIdsNotDeleted: Statement;
    /** byIdsWithDeleted and byIdsNotDeleted for ids whose order key is their UTF-8: SQLite makes the keys itself. */
    byUtf8IdsWithDeleted: Statement;
    byUtf8IdsNotDeleted: Statement;
    byKey: Statement;
    journalAppend: Statement;
    journalBulks: Statement;
    journalClear: Statement;
    insert: Statement;
    update: Statement;
    putAttachment: Statement;
    deleteAttachment: Statement;
    getAttachment: Statement;
    changedSince: Statement;
    changedFromStart: Statement;
    importPage: Statement;
    /** importPage, answering the ids it inserted (a bulk load keeps them, see bulkLoadIds). */
    importPageReturningIds: Statement;
  };

  constructor(
    private readonly db: Database,
    collectionName: string,
    private readonly schema: RxJsonSchema<Doc>,
  ) {
    this.layout = tableLayoutFor(collectionName, schema);
    // Ids are looked up by their order key (the table's unique key); a list of ids comes as JSON text.
    db.function('mis_order_key', { deterministic: true }, (id: unknown) => (typeof id === 'string' ? orderKey(id) : null));
    db.transaction(() => {
      for (const statement of this.layout.createStatements) db.exec(statement);
    })();
    this.docs = quoteIdentifier(this.layout.docsTable);
    this.attachments = quoteIdentifier(this.layout.attachmentsTable);
    this.journal = quoteIdentifier(this.layout.journalTable);
    const ids = 'id_order IN (SELECT mis_order_key(value) FROM json_each(?))';
    const utf8Ids = 'id_order IN (SELECT CAST(value AS BLOB) FROM json_each(?))';
    const columns = this.layout.indexedFields.map((field) => field.column);
    const insertColumns = ['id_order', 'deleted', 'lwt', 'rev', 'data', ...columns];
    const updateColumns = ['deleted', 'lwt', 'rev', 'data', ...columns];
    this.statements = {
      byIdsWithDeleted: db.prepare(`SELECT data FROM ${this.docs} WHERE ${ids}`).pluck(),
      byIdsNotDeleted: db.prepare(`SELECT data FROM ${this.docs} WHERE ${ids} AND deleted = 0`).pluck(),
      byUtf8IdsWithDeleted: db.prepare(`SELECT data FROM ${this.docs} WHERE ${utf8Ids}`).pluck(),
      byUtf8IdsNotDeleted: db.prepare(`SELECT data FROM ${this.docs} WHERE ${utf8Ids} AND deleted = 0`).pluck(),
      byKey: db.prepare(`SELECT data, deleted FROM ${this.docs} WHERE id_order = ?`),
      journalAppend: db.prepare(`INSERT INTO ${this.journal} (documents) VALUES (?)`),
      // Read back as the bytes they were written as (the column holds BLOBs).
      journalBulks: db.prepare(`SELECT seq, documents FROM ${this.journal} ORDER BY seq`).raw(),
      journalClear: db.prepare(`DELETE FROM ${this.journal} WHERE seq <= ?`),
      insert: db.prepare(`INSERT INTO ${this.docs} (${insertColumns.join(', ')}) VALUES (${insertColumns.map(() => '?').join(', ')})`),
      update: db.prepare(`UPDATE ${this.docs} SET ${updateColumns.map((column) => `${column} = ?`).join(', ')} WHERE id_order = ?`),
      putAttachment: db.prepare(`INSERT OR REPLACE INTO ${this.attachments} (document_id, attachment_id, digest, type, data) VALUES (?, ?, ?, ?, ?)`),
      deleteAttachment: db.prepare(`DELETE FROM ${this.attachments} WHERE document_id = ? AND attachment_id = ?`),
      getAttachment: db.prepare(`SELECT digest, type, data FROM ${this.attachments} WHERE document_id = ? AND attachment_id = ?`),
      changedSince: db.prepare(`SELECT data FROM ${this.docs} WHERE (lwt, id_order) > (?, ?) ORDER BY lwt, id_order LIMIT ?`).pluck(),
      changedFromStart: db.prepare(`SELECT data FROM ${this.docs} ORDER BY lwt, id_order LIMIT ?`).pluck(),
      importPage: db.prepare(pageImportSql(this.layout, insertColumns)),
      // An order key of a string without surrogates (the only kind imported in SQL) is its UTF-8.
      importPageReturningIds: db.prepare(`${pageImportSql(this.layout, insertColumns)} RETURNING CAST(id_order AS TEXT)`).pluck(),
    };
    // Bulks acknowledged before the app stopped, and not yet filed, are filed now.
    this.journalPending = db.prepare(`SELECT EXISTS (SELECT 1 FROM ${this.journal})`).pluck().get() === 1;
    this.fileJournal();
  }

  /** The stored JSON of the documents with these ids (in no particular order). */
  private storedByIds(ids: string[], withDeleted: boolean): string[] {
    const asJson = ids.filter((id) => !unpairedSurrogate.test(id));
    const utf8 = asJson.every(orderKeyIsUtf8);
    const statement = withDeleted ? (utf8 ? this.statements.byUtf8IdsWithDeleted : this.statements.byIdsWithDeleted) : utf8 ? this.statements.byUtf8IdsNotDeleted : this.statements.byIdsNotDeleted;
    const rows = asJson.length > 0 ? (statement.all(JSON.stringify(asJson)) as string[]) : [];
    if (asJson.length === ids.length) return rows;
    // An unpaired surrogate does not reach SQLite unchanged through JSON text: such an id is
    // looked up by its order key, on its own.
    for (const id of new Set(ids.filter((id) => unpairedSurrogate.test(id)))) {
      const row = this.statements.byKey.get(orderKey(id)) as { data: string; deleted: number } | undefined;
      if (row && (withDeleted || row.deleted === 0)) rows.push(row.data);
    }
    return rows;
  }

  private insertRow(doc: Doc): void {
    this.statements.insert.run(orderKey(doc[this.layout.primaryPath] as string), doc._deleted ? 1 : 0, doc._meta.lwt, doc._rev, JSON.stringify(doc), ...indexedValues(this.layout, doc));
  }

  /** Counts written rows; SQLite's statistics are refreshed every 10,000 (after a bulk load, by deferIndexes). */
  private noteWritten(rows: number): void {
    this.writtenSinceAnalysis += rows;
    if (this.writtenSinceAnalysis >= 10_000 && !this.bulkLoadIds) {
      this.writtenSinceAnalysis = 0;
      this.db.pragma('optimize');
    }
  }

  /**
   * Whether a bulk of new documents with these ids can go to the journal: none of them is
   * stored, none comes twice, and no bulk load is under way (see bulkInsertNew). The
   * journal is filed already: bulkInsertNew files it first, and the store worker before
   * every request.
   */
  journalable(ids: string[]): boolean {
    return !this.bulkLoadIds && new Set(ids).size === ids.length && this.storedByIds(ids, true).length === 0;
  }

  /**
   * A large bulk of new documents (RxDB's bulkInsert: no row has a previous state), as V8's
   * serialization of the array, with their ids beside. When none of the ids is stored, the
   * bulk is written to the journal as it is, one row, and acknowledged once that row is on disk; it
   * is filed into the documents table (indexes and all) right after the answer has gone
   * (fileJournal), and before any other request is served. A bulk's index updates were
   * most of its cost, and the caller no longer waits for them. A bulk with a stored id, an
   * id twice, or during a bulk load is written the ordinary way. Answers as bulkWrite.
   *
   * `checked` is the answer of journalable for these ids when the store worker asked it
   * with nothing in between (the main thread sends the ids ahead, see checkNewIds), so that
   * the lookup is not made twice.
   */
  bulkInsertNew(ids: string[], documents: Uint8Array, context: string, checked?: boolean): string {
    this.fileJournal();
    const journaled = this.db
      .transaction(() => {
        if (!(checked ?? this.journalable(ids))) return false;
        this.statements.journalAppend.run(documents);
        return true;
      })
      .immediate();
    if (!journaled) return this.bulkWrite(bulkDocuments(documents).map((document) => ({ document })), context);
    this.journalPending = true;
    return '[]';
  }

  /** Whether the journal holds bulks to file (see fileJournal). */
  get hasJournal(): boolean {
    return this.journalPending;
  }

  /**
   * Files the journal's bulks into the documents table, in the order they came, and empties
   * it, in one transaction. Its commit does not wait for the disk: the bulks are durable in
   * the journal already, and should a power cut take the filing, they are filed again when
   * the collection next opens.
   */
  fileJournal(): void {
    if (!this.journalPending) return;
    let filed = 0;
    try {
      this.withoutWaitingForDisk(() =>
        this.db
          .transaction(() => {
            let last = 0;
            for (const [seq, documents] of this.statements.journalBulks.all() as [number, Uint8Array][]) {
              const docs = bulkDocuments(documents);
              for (const doc of docs) this.insertRow(doc);
              filed += docs.length;
              last = seq;
            }
            this.statements.journalClear.run(last);
          })
          .immediate(),
      );
    } catch (error) {
      throw new StoreError(
        'STORE_INTERNAL',
        `Documents of ${this.layout.docsTable} that were saved are kept in its journal, but could not be filed into the table (${(error as Error).message}); the store serves nothing more until they are.`,
      );
    }
    this.journalPending = false;
    this.noteWritten(filed);
  }

  /**
   * Writes a bulk and returns the stored JSON of every document that existed before it, so
   * that the main thread can run the very same categorisation (RxDB's own) and emit the
   * same events and conflict errors without the documents being copied back.
   */
  bulkWrite(rows: BulkWriteRow<Doc>[], context: string): string {
    this.fileJournal();
    const { primaryPath } = this.layout;
    const ids = rows.map((row) => row.document[primaryPath] as string);
    const write = this.db.transaction(() => {
      const before = this.storedByIds(ids, true);
      const docsInDb = new Map<string, Doc>();
      for (const json of before) {
        const doc = JSON.parse(json) as Doc;
        docsInDb.set(doc[primaryPath] as string, doc);
      }
      const categorized = categorizeBulkWriteRows({ schema: this.schema } as RxStorageInstance<Doc, unknown, unknown>, primaryPath as never, docsInDb, rows, context);
      for (const row of categorized.bulkInsertDocs) {
        this.bulkLoadIds?.add(row.document[primaryPath] as string);
        this.insertRow(row.document);
      }
      for (const row of categorized.bulkUpdateDocs) {
        const doc = row.document;
        this.statements.update.run(doc._deleted ? 1 : 0, doc._meta.lwt, doc._rev, JSON.stringify(doc), ...indexedValues(this.layout, doc), orderKey(doc[primaryPath] as string));
      }
      for (const added of [...categorized.attachmentsAdd, ...categorized.attachmentsUpdate]) {
        const bytes = added.attachmentData as unknown as AttachmentBytes;
        this.statements.putAttachment.run(added.documentId, added.attachmentId, added.digest, bytes.type, bytes.data.bytes);
      }
      for (const removed of categorized.attachmentsRemove) this.statements.deleteAttachment.run(removed.documentId, removed.attachmentId);
      return jsonArray(before);
    });
    const result = write.immediate();
    this.noteWritten(rows.length);
    return result;
  }

  /**
   * A page of new documents straight from the sync server's JSON: parsed here, not on the
   * main thread, and inserted in one transaction without the conflict bookkeeping of
   * bulkWrite, which new documents do not need. Documents deleted on the server are not
   * stored (the station never had them). Should one of the documents exist already, the
   * transaction is rolled back and false returned: the caller writes the page the
   * ordinary way.
   */
  importPage(json: string, lwt: number, rev: string): boolean {
    return importableInSql(json) ? this.importPageInSql(json, lwt, rev) : this.importPageInJs(json, lwt, rev);
  }

  private importPageInJs(json: string, lwt: number, rev: string): boolean {
    const { documents } = JSON.parse(json) as { documents: Doc[] };
    const { primaryPath } = this.layout;
    const known = this.bulkLoadIds;
    const added = new Set<string>();
    // Each document is stored as the server wrote it, with the storage fields added at its
    // end: writing the JSON of every document again was the largest cost of an initial pull.
    const texts = documentTexts(json);
    const asSent = texts?.length === documents.length ? texts : null;
    const storageFields = storageFieldsText(lwt, rev);
    const insert = this.db.transaction(() => {
      documents.forEach((wire, n) => {
        if (wire._deleted) return;
        const id = wire[primaryPath] as string;
        // Without the ids' index (a bulk load), the ids this load has seen tell.
        if (known && (known.has(id) || added.has(id))) throw new PageHasKnownDocument();
        added.add(id);
        const text = asSent?.[n];
        let data: string;
        if (text && !('_attachments' in wire || '_meta' in wire || '_rev' in wire) && Object.keys(wire).length > 0) {
          data = text.slice(0, text.lastIndexOf('}')) + storageFields;
        } else {
          // The parsed page is ours alone: the storage fields are set on it rather than on a
          // copy; a field the wire already had keeps its place, as it would in a spread.
          data = JSON.stringify(Object.assign(wire, { _attachments: {}, _meta: { lwt }, _rev: rev }));
        }
        this.statements.insert.run(orderKey(id), 0, lwt, rev, data, ...indexedValues(this.layout, wire));
      });
    });
    try {
      this.withoutWaitingForDisk(() => insert.immediate());
    } catch (error) {
      // Thrown inside the transaction, both roll it back: nothing of the page is written.
      if (error instanceof PageHasKnownDocument || (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw error;
    }
    for (const id of added) known?.add(id);
    this.writtenSinceAnalysis += documents.length;
    return true;
  }

  /**
   * Runs an import's commit without waiting for the disk. Reference data can be pulled
   * again: a power cut loses the last pages whole, in order, with the pull checkpoint
   * written after them. The next ordinary write (at FULL, such as that checkpoint) makes
   * them durable.
   */
  private withoutWaitingForDisk<T>(write: () => T): T {
    this.db.pragma('synchronous = NORMAL');
    try {
      return write();
    } finally {
      this.db.pragma('synchronous = FULL');
      this.unsyncedWrites = true;
    }
  }

  /**
   * Whether a commit since the last call did not wait for the disk, so that the store
   * worker flushes the WAL when it is idle (syncWal) rather than leave that to the next
   * durable commit.
   */
  takeUnsyncedWrites(): boolean {
    const unsynced = this.unsyncedWrites;
    this.unsyncedWrites = false;
    return unsynced;
  }

  /**
   * importPage done by SQLite itself: one statement reads the page's documents with its
   * JSON functions and inserts them, their stored JSON being each document's own text with
   * the storage fields added at its end, their keys the UTF-8 of their strings (which is
   * what orderKey makes of a string without surrogates, see importableInSql). The same rows
   * as the JS path (page-import.test.ts compares them); it spares the worker a JSON parse
   * and a statement call per document.
   */
  private importPageInSql(json: string, lwt: number, rev: string): boolean {
    const known = this.bulkLoadIds;
    const storageFields = storageFieldsText(lwt, rev);
    const parameters = { json, lwt, rev, storageFields };
    let ids: string[] = [];
    let inserted: number;
    try {
      inserted = this.withoutWaitingForDisk(() =>
        this.db
          .transaction(() => {
            if (!known) return this.statements.importPage.run(parameters).changes;
            // Without the ids' index (a bulk load), the ids inserted are checked against
            // those the load has seen, and with each other, before the page commits: the
            // insert answers them, so the page is read once.
            ids = this.statements.importPageReturningIds.all(parameters) as string[];
            if (new Set(ids).size !== ids.length || ids.some((id) => known.has(id))) throw new PageHasKnownDocument();
            return ids.length;
          })
          .immediate(),
      );
    } catch (error) {
      // Thrown inside the transaction, both roll it back: nothing of the page is written.
      if (error instanceof PageHasKnownDocument || (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw error;
    }
    for (const id of ids) known?.add(id);
    this.writtenSinceAnalysis += inserted;
    return true;
  }

  /**
   * The ids a query selects, for a main thread that holds most documents already; a page
   * of a few documents comes whole, since fetching it afterwards would cost another trip.
   */
  queryIds(query: FilledMangoQuery<Doc>, wholeUpTo = 500): { ids: string } | { documents: string } {
    const ids = this.select(query, true);
    if (ids.length > wholeUpTo) return { ids: JSON.stringify(ids) };
    const byId = new Map<string, string>();
    for (const json of this.storedByIds(ids, true)) {
      byId.set((JSON.parse(json) as Doc)[this.layout.primaryPath] as string, json);
    }
    return { documents: jsonArray(ids.map((id) => byId.get(id)!)) };
  }

  findByIds(ids: string[], withDeleted: boolean): string {
    return jsonArray(this.storedByIds(ids, withDeleted));
  }

  /** The documents a query selects, in order, as one JSON array. */
  query(query: FilledMangoQuery<Doc>): string {
    return jsonArray(this.select(query, false));
  }

  /**
   * What a query selects, in order: the stored JSON of each document or, with `idsOnly`,
   * only their ids, for a main thread that already holds most of them. The ids are read
   * from the index itself (`id_order`, the last column of every index), so that a query
   * the index answers never touches the rows.
   */
  private select(query: FilledMangoQuery<Doc>, idsOnly: boolean): string[] {
    const { where, complete, orderBy } = this.translated(query);
    const skip = query.skip ?? 0;
    const limit = typeof query.limit === 'number' ? query.limit : Infinity;

    if (complete && orderBy) {
      const page = [...where.params, Number.isFinite(limit) ? limit : -1, skip];
      const fromSql = `FROM ${this.docs} WHERE ${where.sql} ORDER BY ${orderBy} LIMIT ? OFFSET ?`;
      return idsOnly ? this.idsOf(fromSql, page) : (this.statement(`SELECT data ${fromSql}`).pluck().all(...page) as string[]);
    }

    const base = `SELECT data FROM ${this.docs} WHERE ${where.sql}`;
    const matches = complete ? null : getQueryMatcher(this.schema, query);
    const statement = this.statement(orderBy ? `${base} ORDER BY ${orderBy}` : base).pluck();
    const found: { doc: Doc; json: string }[] = [];
    for (const json of statement.iterate(...where.params) as IterableIterator<string>) {
      const doc = JSON.parse(json) as Doc;
      if (matches && !matches(doc)) continue;
      found.push({ doc, json });
      // In SQL order already: stop as soon as the page is full.
      if (orderBy && found.length >= skip + limit) break;
    }
    if (!orderBy) {
      const compare = getSortComparator(this.schema, query);
      found.sort((a, b) => compare(a.doc, b.doc));
    }
    const end = Number.isFinite(limit) ? skip + limit : undefined;
    const page = found.slice(skip, end);
    return page.map((entry) => (idsOnly ? (entry.doc[this.layout.primaryPath] as string) : entry.json));
  }

  /** A query's selector and sort in SQL (see mango-to-sql.ts). */
  private translated(query: FilledMangoQuery<Doc>) {
    const selector = translateSelector(query.selector as Record<string, unknown>, this.layout);
    return { ...selector, orderBy: translateSort(query.sort as Record<string, 'asc' | 'desc'>[], this.layout, selector) };
  }

  /**
   * The ids of the rows a query (its SQL from FROM on) selects, in its order. SQLite reads
   * each id's order key as text, which is the id itself unless the key has a byte 0xED (a
   * surrogate's, or a character of U+D000-U+D7FF): no Buffer and no decoding per row for
   * ids such as the app's UUIDs. A key with 0xED comes as hexadecimal behind the marker
   * U+FFFF, to be decoded here; so does a key that starts with the marker itself.
   */
  private idsOf(fromSql: string, params: SqlValue[]): string[] {
    const marked = `CASE WHEN instr(id_order, X'ED') > 0 OR substr(id_order, 1, 3) = X'EFBFBF' THEN char(65535) || hex(id_order) ELSE CAST(id_order AS TEXT) END`;
    const ids = this.statement(`SELECT ${marked} ${fromSql}`).pluck().all(...params) as string[];
    return ids.map((id) => (id.charCodeAt(0) === 0xffff ? fromOrderKeyHex(id, 1) : id));
  }

  /** A prepared statement for this SQL, compiled once and kept (the oldest goes first past 200). */
  private statement(sql: string): Statement {
    let statement = this.preparedQueries.get(sql);
    if (!statement) {
      if (this.preparedQueries.size >= 200) this.preparedQueries.delete(this.preparedQueries.keys().next().value!);
      statement = this.db.prepare(sql);
      this.preparedQueries.set(sql, statement);
    }
    return statement;
  }

  count(query: FilledMangoQuery<Doc>): number {
    const { where, complete } = translateSelector(query.selector as Record<string, unknown>, this.layout);
    if (complete) {
      return this.statement(`SELECT COUNT(*) FROM ${this.docs} WHERE ${where.sql}`).pluck().get(...where.params) as number;
    }
    const matches = getQueryMatcher(this.schema, query);
    let count = 0;
    for (const json of this.statement(`SELECT data FROM ${this.docs} WHERE ${where.sql}`).pluck().iterate(...where.params) as IterableIterator<string>) {
      if (matches(JSON.parse(json) as Doc)) count++;
    }
    return count;
  }

  /** The query plan SQLite chose, for diagnostics and for the tests that prove index use. */
  explain(query: FilledMangoQuery<Doc>): string[] {
    const { where, orderBy } = this.translated(query);
    const sql = `EXPLAIN QUERY PLAN SELECT data FROM ${this.docs} WHERE ${where.sql}${orderBy ? ` ORDER BY ${orderBy}` : ''}`;
    return (this.db.prepare(sql).all(...(where.params as SqlValue[])) as { detail: string }[]).map((row) => row.detail);
  }

  changedSince(limit: number, checkpoint: RxStorageDefaultCheckpoint | undefined): string {
    const rows = checkpoint
      ? (this.statements.changedSince.all(checkpoint.lwt, orderKey(checkpoint.id), limit) as string[])
      : (this.statements.changedFromStart.all(limit) as string[]);
    return jsonArray(rows);
  }

  attachment(documentId: string, attachmentId: string, digest: string): { type: string; data: Uint8Array } {
    const row = this.statements.getAttachment.get(documentId, attachmentId) as { digest: string; type: string; data: Buffer } | undefined;
    if (!row || row.digest !== digest) {
      throw new StoreError('ATTACHMENT_NOT_FOUND', `The attachment ${attachmentId} of document ${documentId} does not exist (or has another digest).`);
    }
    return { type: row.type, data: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) };
  }

  /**
   * Removes documents deleted before the cut-off, with their attachments, a batch at a
   * time so that other work for this database is not held up; true when none are left.
   */
  cleanup(deletedBefore: number, batchSize = 2_000): boolean {
    const rows = this.db.prepare(`SELECT rowid, id_order FROM ${this.docs} WHERE deleted = 1 AND lwt <= ? ORDER BY lwt LIMIT ?`).raw().all(deletedBefore, batchSize) as [number, Buffer][];
    if (rows.length > 0) {
      this.db.transaction(() => {
        this.db.prepare(`DELETE FROM ${this.attachments} WHERE document_id IN (SELECT value FROM json_each(?))`).run(JSON.stringify(rows.map(([, key]) => fromOrderKey(key))));
        this.db.prepare(`DELETE FROM ${this.docs} WHERE rowid IN (SELECT value FROM json_each(?))`).run(JSON.stringify(rows.map(([rowid]) => rowid)));
      })();
    }
    return rows.length < batchSize;
  }

  /**
   * A bulk load (a new station's first pull of a million alerts) inserts far faster into
   * a table without its indexes, which are then built once, sorted, instead of being
   * updated row by row at random places: the rows themselves are only appended. Queries
   * stay correct meanwhile, only slower. Should the app stop during the load, opening the
   * collection builds the indexes again (see the constructor), so a half-finished load
   * costs time, never data.
   */
  deferIndexes(deferred: boolean): void {
    if (deferred) {
      if (this.bulkLoadIds) return;
      // The table may hold deleted documents already: their ids count as taken.
      const keys = this.db.prepare(`SELECT id_order FROM ${this.docs}`).pluck().all() as Buffer[];
      this.bulkLoadIds = new Set(keys.map(fromOrderKey));
      this.db.transaction(() => {
        for (const name of this.layout.indexNames) this.db.exec(`DROP INDEX IF EXISTS ${quoteIdentifier(name)}`);
      })();
      this.preparedQueries.clear();
      return;
    }
    this.db.transaction(() => {
      for (const statement of this.layout.createStatements) this.db.exec(statement);
    })();
    this.bulkLoadIds = null;
    this.preparedQueries.clear();
    this.db.exec(`ANALYZE ${this.docs}`);
    this.writtenSinceAnalysis = 0;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  drop(): void {
    this.db.transaction(() => {
      this.db.exec(`DROP TABLE IF EXISTS ${this.docs}`);
      this.db.exec(`DROP TABLE IF EXISTS ${this.attachments}`);
      this.db.exec(`DROP TABLE IF EXISTS ${this.journal}`);
    })();
    this.journalPending = false;
  }
}
