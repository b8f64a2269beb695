import Database from 'better-sqlite3-multiple-ciphers';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { closeSync, openSync } from 'node:fs';
import type { RetainedCollection } from '../../domain/retention';
import type { SyncedCollection, WireDocument } from '../../domain/sync';
import { documentHash, stamped } from './document-hash';
import type { FleetStore } from './fleet-store';
import { migrationsTable, pendingMigrations } from './migrations';
import { SqliteFleetStore } from './sqlite-fleet-store';
import type {
  AuditChainReport,
  ConflictEntry,
  PullScope,
  PurgeTarget,
  RecordWrite,
  RepositoryTransaction,
  RetentionPurge,
  RetentionRun,
  StationCredential,
  StoredAuditEntry,
  StoredConflict,
  StoredRecord,
  SyncRepository,
} from './repository';

/**
 * The embedded store: one SQLite file, unencrypted (the server's disk is the operator's
 * to protect; the stations' files are the ones that travel).
 *
 * Two connections: every write goes through the writer, one transaction at a time (an
 * in-process queue, plus BEGIN IMMEDIATE against other processes on the same file); every
 * read outside a transaction goes through the reader. A transaction's work is async, so
 * the writer can sit inside an open transaction while other calls run: reads on that
 * connection would see its uncommitted rows, and a pull could hand out a row that is then
 * rolled back. The reader sees committed data only (WAL gives it a snapshot per statement).
 *
 * Sequences are max(sequence) + 1 taken inside the write transaction: with a single
 * writer, sequence order is commit order, so a pull after N never misses a row.
 */
export class SqliteRepositoryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SqliteRepositoryError';
  }
}

type Change = Parameters<Parameters<SyncRepository['onChange']>[0]>[0];
type ChangeListener = (change: Change) => void;

export async function openSqliteRepository(file: string): Promise<SyncRepository> {
  if (file === '' || file === ':memory:') throw new SqliteRepositoryError('The SQLite sync store needs a file: its reads and writes use two connections to it.');
  let writer: Database.Database | undefined;
  let reader: Database.Database | undefined;
  try {
    createOwnerOnly(file);
    writer = new Database(file);
    // WAL lets the reader work while a write commits; FULL makes every commit reach the
    // disk before a station is told its push was taken.
    writer.pragma('journal_mode = WAL');
    writer.pragma('synchronous = FULL');
    // Another process on the same file (a backup, an admin command) makes us wait our turn.
    writer.pragma('busy_timeout = 5000');
    // What is deleted or overwritten (a retention purge, an earlier version of a record) is
    // zeroed in the file rather than left in free space: the file is not encrypted.
    writer.pragma('secure_delete = ON');
    reader = new Database(file);
    reader.pragma('busy_timeout = 5000');
    reader.pragma('query_only = ON');
    return new SqliteRepository(writer, reader);
  } catch (error) {
    reader?.close();
    writer?.close();
    throw new SqliteRepositoryError(`The sync store ${file} cannot be opened: ${(error as Error).message}`, { cause: error });
  }
}

/** A new store file is readable by its owner only; SQLite gives its WAL files the same mode. */
function createOwnerOnly(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** Prepared statements by their SQL, prepared on first use (the tables exist only after migrate()). */
class Statements {
  private readonly prepared = new Map<string, Statement<unknown[]>>();

  constructor(private readonly db: Database.Database) {}

  all<Row>(sql: string, ...params: unknown[]): Row[] {
    return this.statement(sql).all(...params) as Row[];
  }

  get<Row>(sql: string, ...params: unknown[]): Row | undefined {
    return this.statement(sql).get(...params) as Row | undefined;
  }

  run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.statement(sql).run(...params);
  }

  private statement(sql: string): Statement<unknown[]> {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[]>(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }
}

/** Runs tasks one after the other, each after the previous one settled. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

interface RecordRow {
  collection: SyncedCollection;
  id: string;
  station_id: string | null;
  sequence: number;
  received_at: number;
  document: string;
  written_by: string;
}

const recordColumns = 'collection, id, station_id, sequence, received_at, document, written_by';

function toStoredRecord(row: RecordRow): StoredRecord {
  return {
    collection: row.collection,
    id: row.id,
    stationId: row.station_id,
    sequence: row.sequence,
    receivedAt: row.received_at,
    document: JSON.parse(row.document) as WireDocument,
    writtenBy: row.written_by,
  };
}

/** An audit entry's number, exactly as the index records_audit_trail has it (migration 2): any other spelling misses the index. */
const auditSequence = "(CASE WHEN json_valid(document) THEN json_extract(document, '$.sequence') END)";

/** A field of the document, as the indexes of migration 3 spell it. */
const documentField = (path: string): string => `(CASE WHEN json_valid(document) THEN json_extract(document, '${path}') END)`;

/** The date a record's retention runs from, per collection, as the indexes records_retention_* have it (migration 3). */
const retentionDate: Record<RetainedCollection, string> = {
  registrations: documentField('$.arrivalAt'),
  crossings: documentField('$.occurredAt'),
  biometrics: documentField('$.createdAt'),
};

/**
 * The highest sequence ever given: of the rows there are, or of rows a retention purge
 * removed (retention_purges.highest_sequence). Numbers are drawn above it, never again at
 * a number a station may already have pulled.
 */
const highestSequenceSql = `SELECT max(coalesce((SELECT max(sequence) FROM records), 0), coalesce((SELECT max(highest_sequence) FROM retention_purges), 0)) AS last`;

/** The document of a stored row, or null when its text is no longer JSON (someone edited the file). */
function parsedOrNull(text: string): WireDocument | null {
  try {
    return JSON.parse(text) as WireDocument;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

/** The highest sequence written per collection and station: listeners only need to know where to pull. */
function coalesce(records: StoredRecord[]): Change[] {
  const latest = new Map<string, Change>();
  for (const { collection, stationId, sequence } of records) {
    latest.set(JSON.stringify([collection, stationId]), { collection, stationId, sequence });
  }
  return [...latest.values()].sort((a, b) => a.sequence - b.sequence);
}

class SqliteTransaction implements RepositoryTransaction {
  readonly written: StoredRecord[] = [];
  private finished = false;

  constructor(private readonly statements: Statements) {}

  finish(): void {
    this.finished = true;
  }

  /** One writer at a time: what current() reads cannot change before commit, without any lock of its own. */
  async current(collection: SyncedCollection, ids: string[]): Promise<Map<string, StoredRecord>> {
    return this.read(collection, ids);
  }

  async read(collection: SyncedCollection, ids: string[]): Promise<Map<string, StoredRecord>> {
    this.assertOpen();
    const rows = this.statements.all<RecordRow>(
      `SELECT ${recordColumns} FROM records WHERE collection = ? AND id IN (SELECT value FROM json_each(?))`,
      collection,
      JSON.stringify(ids),
    );
    return new Map(rows.map((row) => [row.id, toStoredRecord(row)]));
  }

  async write(writes: RecordWrite[], receivedAt: number, options: { last?: boolean } = {}): Promise<StoredRecord[]> {
    this.assertOpen();
    // The commit follows when the work returns; what a last write promises is that the
    // work uses the transaction no more, which holds here as on PostgreSQL.
    if (options.last) this.finish();
    let sequence = this.statements.get<{ last: number }>(highestSequenceSql)?.last ?? 0;
    const stored = writes.map((write) => {
      sequence += 1;
      const document = stamped(write.document, receivedAt);
      const json = JSON.stringify(document);
      this.statements.run(
        `INSERT INTO records (collection, id, station_id, sequence, received_at, deleted, document, written_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (collection, id) DO UPDATE SET station_id = excluded.station_id, sequence = excluded.sequence,
           received_at = excluded.received_at, deleted = excluded.deleted, document = excluded.document, written_by = excluded.written_by`,
        write.collection,
        write.id,
        write.stationId,
        sequence,
        receivedAt,
        document._deleted ? 1 : 0,
        json,
        write.writtenBy,
      );
      this.statements.run(
        'INSERT INTO record_history (sequence, collection, id, received_at, document_hash, document, written_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
        sequence,
        write.collection,
        write.id,
        receivedAt,
        documentHash(document),
        json,
        write.writtenBy,
      );
      return { collection: write.collection, id: write.id, stationId: write.stationId, sequence, receivedAt, document, writtenBy: write.writtenBy };
    });
    this.written.push(...stored);
    return stored;
  }

  async seenBefore(collection: SyncedCollection, id: string, hash: string): Promise<boolean> {
    this.assertOpen();
    return this.statements.get('SELECT 1 FROM record_history WHERE collection = ? AND id = ? AND document_hash = ? LIMIT 1', collection, id, hash) !== undefined;
  }

  async logConflict(conflict: ConflictEntry, detectedAt: number): Promise<void> {
    this.assertOpen();
    this.statements.run(
      // The same set-aside version twice (a replayed push) is one conflict.
      'INSERT OR IGNORE INTO conflicts (collection, record_id, station_id, rule, kept, set_aside, set_aside_hash, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      conflict.collection,
      conflict.recordId,
      conflict.stationId,
      conflict.rule,
      JSON.stringify(conflict.kept),
      JSON.stringify(conflict.setAside),
      documentHash(conflict.setAside),
      detectedAt,
    );
  }

  /** One transaction writes at a time: no other can be checking the same chain meanwhile. */
  async lockAuditChain(): Promise<void> {
    this.assertOpen();
  }

  async auditEntries(stationId: string, sequences: number[]): Promise<StoredRecord[]> {
    this.assertOpen();
    const rows = this.statements.all<RecordRow>(
      `SELECT ${recordColumns} FROM records
       WHERE collection = 'audit' AND station_id = ? AND ${auditSequence} IN (SELECT value FROM json_each(?)) ORDER BY ${auditSequence}, id`,
      stationId,
      JSON.stringify(sequences),
    );
    return rows.map(toStoredRecord);
  }

  async auditSequenceBefore(stationId: string, sequence: number): Promise<number> {
    this.assertOpen();
    return (
      this.statements.get<{ last: number }>(
        `SELECT coalesce(max(${auditSequence}), 0) AS last FROM records WHERE collection = 'audit' AND station_id = ? AND ${auditSequence} < ?`,
        stationId,
        sequence,
      )?.last ?? 0
    );
  }

  async reportAuditChainBreak(report: Omit<AuditChainReport, 'resolvedAt'>): Promise<boolean> {
    this.assertOpen();
    const inserted = this.statements.run(
      'INSERT OR IGNORE INTO audit_chain_reports (station_id, sequence, kind, entry_id, detail, detected_at) VALUES (?, ?, ?, ?, ?, ?)',
      report.stationId,
      report.sequence,
      report.kind,
      report.entryId,
      report.detail,
      report.detectedAt,
    );
    return inserted.changes === 1;
  }

  async resolveAuditChainGap(stationId: string, sequence: number, resolvedAt: number): Promise<boolean> {
    this.assertOpen();
    const updated = this.statements.run(
      "UPDATE audit_chain_reports SET resolved_at = ? WHERE station_id = ? AND sequence = ? AND kind = 'gap' AND resolved_at IS NULL",
      resolvedAt,
      stationId,
      sequence,
    );
    return updated.changes === 1;
  }

  /** A call after the transaction ended would land outside it, in autocommit or in the next one. */
  private assertOpen(): void {
    if (this.finished) throw new SqliteRepositoryError('This transaction has already ended: use the store only inside the work it was given to.');
  }
}

class SqliteRepository implements SyncRepository {
  readonly kind = 'sqlite';
  private readonly writes = new Queue();
  private readonly listeners = new Set<ChangeListener>();
  private readonly writeStatements: Statements;
  private readonly readStatements: Statements;
  readonly fleet: FleetStore;

  constructor(
    private readonly writer: Database.Database,
    private readonly reader: Database.Database,
  ) {
    this.writeStatements = new Statements(writer);
    this.readStatements = new Statements(reader);
    this.fleet = new SqliteFleetStore((work) => this.writes.run(() => this.inWriteTransaction(() => work(this.writer))), reader);
  }

  migrate(): Promise<number[]> {
    return this.writes.run(() =>
      this.inWriteTransaction(() => {
        this.writer.exec(migrationsTable.sqlite);
        const applied = this.writeStatements.all<{ version: number }>('SELECT version FROM schema_migrations').map((row) => row.version);
        const pending = pendingMigrations(applied);
        for (const migration of pending) {
          this.writer.exec(migration.sqlite);
          this.writeStatements.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', migration.version, Date.now());
        }
        return pending.map((migration) => migration.version);
      }),
    );
  }

  async ping(): Promise<void> {
    this.readStatements.get('SELECT 1');
  }

  transaction<T>(work: (tx: RepositoryTransaction) => Promise<T>): Promise<T> {
    return this.writes.run(async () => {
      const tx = new SqliteTransaction(this.writeStatements);
      this.writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(tx);
        tx.finish();
        this.writer.exec('COMMIT');
        this.notify(coalesce(tx.written));
        return result;
      } catch (error) {
        tx.finish();
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async pull(collection: SyncedCollection, scope: PullScope, after: number, limit: number): Promise<{ records: StoredRecord[]; checkpoint: number }> {
    const records = this.pullRows<RecordRow>(recordColumns, collection, scope, after, limit).map(toStoredRecord);
    return { records, checkpoint: records.at(-1)?.sequence ?? after };
  }

  async pullTexts(collection: SyncedCollection, scope: PullScope, after: number, limit: number): Promise<{ documents: string[]; checkpoint: number }> {
    const rows = this.pullRows<{ sequence: number; document: string }>('sequence, document', collection, scope, after, limit);
    return { documents: rows.map((row) => row.document), checkpoint: rows.at(-1)?.sequence ?? after };
  }

  private pullRows<Row>(columns: string, collection: SyncedCollection, scope: PullScope, after: number, limit: number): Row[] {
    return scope.kind === 'station'
      ? this.readStatements.all<Row>(`SELECT ${columns} FROM records WHERE collection = ? AND station_id = ? AND sequence > ? ORDER BY sequence LIMIT ?`, collection, scope.stationId, after, limit)
      : this.readStatements.all<Row>(`SELECT ${columns} FROM records WHERE collection = ? AND sequence > ? ORDER BY sequence LIMIT ?`, collection, after, limit);
  }

  async lastSequence(): Promise<number> {
    return this.readStatements.get<{ last: number }>('SELECT coalesce(max(sequence), 0) AS last FROM records')?.last ?? 0;
  }

  async count(collection: SyncedCollection, stationId?: string): Promise<number> {
    const row =
      stationId === undefined
        ? this.readStatements.get<{ rows: number }>('SELECT count(*) AS rows FROM records WHERE collection = ?', collection)
        : this.readStatements.get<{ rows: number }>('SELECT count(*) AS rows FROM records WHERE collection = ? AND station_id = ?', collection, stationId);
    return row?.rows ?? 0;
  }

  async history(collection: SyncedCollection, id: string): Promise<{ sequence: number; receivedAt: number; document: WireDocument }[]> {
    const rows = this.readStatements.all<{ sequence: number; received_at: number; document: string }>(
      'SELECT sequence, received_at, document FROM record_history WHERE collection = ? AND id = ? ORDER BY sequence',
      collection,
      id,
    );
    return rows.map((row) => ({ sequence: row.sequence, receivedAt: row.received_at, document: JSON.parse(row.document) as WireDocument }));
  }

  async conflicts(filter: { stationId?: string; after?: number; limit?: number }): Promise<StoredConflict[]> {
    const rows = this.readStatements.all<ConflictRow>(
      // A negative LIMIT is SQLite's "no limit".
      `SELECT number, collection, record_id, station_id, rule, kept, set_aside, detected_at FROM conflicts
       WHERE (@station IS NULL OR station_id = @station) AND number > @after ORDER BY number LIMIT @limit`,
      { station: filter.stationId ?? null, after: filter.after ?? 0, limit: filter.limit ?? -1 },
    );
    return rows.map(toStoredConflict);
  }

  async nextAuditStation(after: string | null): Promise<string | null> {
    const row = this.readStatements.get<{ station: string | null }>("SELECT min(station_id) AS station FROM records WHERE collection = 'audit' AND station_id > ?", after ?? '');
    return row?.station ?? null;
  }

  async auditTrailPage(stationId: string, after: { sequence: number; id: string } | null, limit: number): Promise<StoredAuditEntry[]> {
    const columns = `SELECT station_id, id, ${auditSequence} AS sequence, document FROM records`;
    // "At or after the number, but not the ids already read": a form SQLite seeks in the
    // index with (a row value over the expression makes it read the station from its start).
    const rows = after
      ? this.readStatements.all<AuditRow>(
          `${columns} WHERE collection = 'audit' AND station_id = ? AND ${auditSequence} >= ? AND NOT (${auditSequence} = ? AND id <= ?)
           ORDER BY ${auditSequence}, id LIMIT ?`,
          stationId,
          after.sequence,
          after.sequence,
          after.id,
          limit,
        )
      : this.readStatements.all<AuditRow>(`${columns} WHERE collection = 'audit' AND station_id = ? ORDER BY ${auditSequence}, id LIMIT ?`, stationId, limit);
    return rows.map((row) => ({
      stationId: row.station_id,
      id: row.id,
      sequence: typeof row.sequence === 'number' ? row.sequence : null,
      document: parsedOrNull(row.document),
    }));
  }

  async auditChainReports(filter: Parameters<SyncRepository['auditChainReports']>[0]): Promise<AuditChainReport[]> {
    const rows = this.readStatements.all<AuditReportRow>(
      // A negative LIMIT is SQLite's "no limit".
      `SELECT station_id, sequence, kind, entry_id, detail, detected_at, resolved_at FROM audit_chain_reports
       WHERE (@station IS NULL OR station_id = @station) AND (@unresolved = 0 OR resolved_at IS NULL)
         AND (@afterStation IS NULL OR (station_id, sequence, kind) > (@afterStation, @afterSequence, @afterKind))
       ORDER BY station_id, sequence, kind LIMIT @limit`,
      {
        station: filter.stationId ?? null,
        unresolved: filter.unresolvedOnly ? 1 : 0,
        afterStation: filter.after?.stationId ?? null,
        afterSequence: filter.after?.sequence ?? null,
        afterKind: filter.after?.kind ?? null,
        limit: filter.limit ?? -1,
      },
    );
    return rows.map((row) => ({
      stationId: row.station_id,
      sequence: row.sequence,
      kind: row.kind,
      entryId: row.entry_id,
      detail: row.detail,
      detectedAt: row.detected_at,
      resolvedAt: row.resolved_at,
    }));
  }

  async retentionCandidates(collection: RetainedCollection, before: number, after: { at: number; id: string } | null, limit: number): Promise<StoredRecord[]> {
    const date = retentionDate[collection];
    if (!date) throw new SqliteRepositoryError(`${collection} is not a collection whose records are purged.`);
    // The collection as a literal: SQLite uses a partial index only for a query that names
    // its rows. Named, too: without statistics SQLite would rather read the whole collection
    // by records_by_collection and sort it.
    const from = `SELECT ${recordColumns} FROM records INDEXED BY records_retention_${collection} WHERE collection = '${collection}' AND ${date} < ?`;
    // As in auditTrailPage: "at or after the date, but not the ids already read" seeks in the index.
    const rows = after
      ? this.readStatements.all<RecordRow>(`${from} AND ${date} >= ? AND NOT (${date} = ? AND id <= ?) ORDER BY ${date}, id LIMIT ?`, before, after.at, after.at, after.id, limit)
      : this.readStatements.all<RecordRow>(`${from} ORDER BY ${date}, id LIMIT ?`, before, limit);
    return rows.map(toStoredRecord);
  }

  async crossingsOfDocuments(documents: { documentNumber: string; issuingState: string }[]): Promise<StoredRecord[]> {
    const sql = `SELECT ${recordColumns} FROM records INDEXED BY records_crossings_by_document WHERE collection = 'crossings'
      AND ${documentField('$.document.documentNumber')} = ? AND ${documentField('$.document.issuingState')} = ?`;
    const asked = new Set<string>();
    const found: StoredRecord[] = [];
    // One indexed lookup per document: statements in this process cost no round trip.
    for (const { documentNumber, issuingState } of documents) {
      const key = `${issuingState}|${documentNumber}`;
      if (asked.has(key)) continue;
      asked.add(key);
      found.push(...this.readStatements.all<RecordRow>(sql, documentNumber, issuingState).map(toStoredRecord));
    }
    return found;
  }

  async biometricsOf(recordIds: string[]): Promise<StoredRecord[]> {
    const rows = this.readStatements.all<RecordRow>(
      `SELECT ${recordColumns} FROM records INDEXED BY records_biometrics_by_record WHERE collection = 'biometrics' AND ${documentField('$.recordId')} IN (SELECT value FROM json_each(?))`,
      JSON.stringify(recordIds),
    );
    return rows.map(toStoredRecord);
  }

  async records(collection: SyncedCollection, ids: string[]): Promise<Map<string, StoredRecord>> {
    const rows = this.readStatements.all<RecordRow>(
      `SELECT ${recordColumns} FROM records WHERE collection = ? AND id IN (SELECT value FROM json_each(?))`,
      collection,
      JSON.stringify(ids),
    );
    return new Map(rows.map((row) => [row.id, toStoredRecord(row)]));
  }

  purge(run: RetentionRun, targets: PurgeTarget[]): Promise<Record<RetainedCollection, number>> {
    return this.writes.run(() =>
      this.inWriteTransaction(() => {
        const purged: Record<RetainedCollection, number> = { registrations: 0, crossings: 0, biometrics: 0 };
        const highest: Record<RetainedCollection, number> = { registrations: 0, crossings: 0, biometrics: 0 };
        for (const { collection, id, sequence } of targets) {
          if (!(collection in run.cutoffs)) throw new SqliteRepositoryError(`${collection} is not a collection of retention run ${run.runId}.`);
          // A record written since the run decided is left for the next run.
          if (this.writeStatements.run('DELETE FROM records WHERE collection = ? AND id = ? AND sequence = ?', collection, id, sequence).changes === 0) continue;
          this.writeStatements.run('DELETE FROM record_history WHERE collection = ? AND id = ?', collection, id);
          this.writeStatements.run('DELETE FROM conflicts WHERE collection = ? AND record_id = ?', collection, id);
          purged[collection] += 1;
          highest[collection] = Math.max(highest[collection], sequence);
        }
        for (const [collection, cutoff] of Object.entries(run.cutoffs) as [RetainedCollection, number][]) {
          this.writeStatements.run(
            `INSERT INTO retention_purges (run_id, collection, at, cutoff, purged, highest_sequence) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (run_id, collection) DO UPDATE SET purged = purged + excluded.purged, highest_sequence = max(highest_sequence, excluded.highest_sequence)`,
            run.runId,
            collection,
            run.at,
            cutoff,
            purged[collection],
            highest[collection],
          );
        }
        return purged;
      }),
    );
  }

  async retentionPurges(filter: Parameters<SyncRepository['retentionPurges']>[0]): Promise<RetentionPurge[]> {
    return this.readStatements.all<RetentionPurge>(
      // A negative LIMIT is SQLite's "no limit".
      `SELECT run_id AS runId, collection, at, cutoff, purged FROM retention_purges
       WHERE (@afterAt IS NULL OR (at, run_id, collection) > (@afterAt, @afterRun, @afterCollection))
       ORDER BY at, run_id, collection LIMIT @limit`,
      { afterAt: filter.after?.at ?? null, afterRun: filter.after?.runId ?? null, afterCollection: filter.after?.collection ?? null, limit: filter.limit ?? -1 },
    );
  }

  addCredential(credential: StationCredential): Promise<void> {
    return this.writes.run(() => {
      this.writeStatements.run(
        'INSERT INTO station_credentials (station_id, secret_hash, created_at, revoked_at) VALUES (?, ?, ?, ?)',
        credential.stationId,
        credential.secretHash,
        credential.createdAt,
        credential.revokedAt,
      );
    });
  }

  async credentials(stationId: string): Promise<StationCredential[]> {
    const rows = this.readStatements.all<{ station_id: string; secret_hash: string; created_at: number; revoked_at: number | null }>(
      'SELECT station_id, secret_hash, created_at, revoked_at FROM station_credentials WHERE station_id = ? AND revoked_at IS NULL ORDER BY created_at',
      stationId,
    );
    return rows.map((row) => ({ stationId: row.station_id, secretHash: row.secret_hash, createdAt: row.created_at, revokedAt: row.revoked_at }));
  }

  revokeCredentials(stationId: string, revokedAt: number): Promise<number> {
    return this.writes.run(
      () => this.writeStatements.run('UPDATE station_credentials SET revoked_at = ? WHERE station_id = ? AND revoked_at IS NULL', revokedAt, stationId).changes,
    );
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for the running transaction, then closes both connections. */
  close(): Promise<void> {
    return this.writes.run(() => {
      this.listeners.clear();
      this.reader.close();
      this.writer.close();
    });
  }

  private inWriteTransaction<T>(work: () => T): T {
    this.writer.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.writer.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
      throw error;
    }
  }

  /** A listener's error is its own: it surfaces as an uncaught error, not as a failed commit. */
  private notify(changes: Change[]): void {
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    }
  }
}

interface AuditRow {
  station_id: string;
  id: string;
  sequence: unknown;
  document: string;
}

interface AuditReportRow {
  station_id: string;
  sequence: number;
  kind: AuditChainReport['kind'];
  entry_id: string;
  detail: string;
  detected_at: number;
  resolved_at: number | null;
}

interface ConflictRow {
  number: number;
  collection: SyncedCollection;
  record_id: string;
  station_id: string;
  rule: string;
  kept: string;
  set_aside: string;
  detected_at: number;
}

function toStoredConflict(row: ConflictRow): StoredConflict {
  return {
    number: row.number,
    collection: row.collection,
    recordId: row.record_id,
    stationId: row.station_id,
    rule: row.rule,
    kept: JSON.parse(row.kept) as WireDocument,
    setAside: JSON.parse(row.set_aside) as WireDocument,
    detectedAt: row.detected_at,
  };
}
