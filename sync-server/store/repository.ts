import type { AuditChainBreakKind } from '../../domain/records';
import type { RetainedCollection } from '../../domain/retention';
import type { SyncedCollection, WireDocument } from '../../domain/sync';
import type { FleetStore } from './fleet-store';

/**
 * The server's storage, behind one interface with two implementations: embedded SQLite
 * (the default, nothing to set up) and PostgreSQL (DATABASE_URL). The sync rules live
 * above this interface (sync-server/sync/); below it is only storage.
 *
 * Every record, of every collection, is one row: its current state as JSON, the station
 * it belongs to (null for reference data), and the sequence number of the write that
 * made this state. The sequence is the server's order of changes and the stations'
 * checkpoint: it only ever grows, and a pull "after N" must never miss a row that a
 * later pull could still see with a number at or below the last one it returned.
 */

export interface StoredRecord {
  collection: SyncedCollection;
  id: string;
  /** The station the record belongs to; null for reference data. */
  stationId: string | null;
  /** The sequence number of the write that made this state. */
  sequence: number;
  /** The server clock when this state was written (ms since the epoch). */
  receivedAt: number;
  /** The document as stations see it, `_deleted` included. */
  document: WireDocument;
  /** Who wrote this state: 'station:<id>' for a push, 'central' for the server's own writes (imports, corrections). */
  writtenBy: string;
}

/** A state to write; sequence and receivedAt are given by the store at the moment of writing. */
export interface RecordWrite {
  collection: SyncedCollection;
  id: string;
  stationId: string | null;
  /** Written with its receivedAt field (when it has one) set to the write's receivedAt. */
  document: WireDocument;
  /** As StoredRecord.writtenBy; kept with the state and in its history. */
  writtenBy: string;
}

/** A registration whose station and server versions diverged: both kept, for supervisors. */
export interface ConflictEntry {
  collection: SyncedCollection;
  recordId: string;
  stationId: string;
  /** The version the server kept (its current state). */
  kept: WireDocument;
  /** The version the station pushed, which did not become the current state. */
  setAside: WireDocument;
  /** Which rule decided (a stable name, e.g. 'server-version-kept'). */
  rule: string;
}

export interface StoredConflict extends ConflictEntry {
  /** Ascending number of the conflict. */
  number: number;
  detectedAt: number;
}

export interface StationCredential {
  stationId: string;
  /** sha256 (hex) of the secret; the secret itself is never stored. */
  secretHash: string;
  createdAt: number;
  revokedAt: number | null;
}

/**
 * A break in a station's audit chain, found when its entries arrived (sync-server/audit).
 * Kept once per (station, sequence, kind); a gap is resolved when the missing entry arrives.
 */
export interface AuditChainReport {
  stationId: string;
  /** The number of the broken entry (for a gap, of the entry after it). */
  sequence: number;
  kind: AuditChainBreakKind;
  entryId: string;
  /** What is wrong, in words for a supervisor; ids and numbers only, never personal data. */
  detail: string;
  detectedAt: number;
  resolvedAt: number | null;
}

/** An audit entry as the server holds it, for walking a station's chain. */
export interface StoredAuditEntry {
  stationId: string;
  id: string;
  /** The number the store files it under (its document's sequence); null when that cannot be read. */
  sequence: number | null;
  /** The document; null when its stored text is no longer JSON (a damaged or hand-edited file). */
  document: WireDocument | null;
}

/**
 * A record a retention run decided to purge, named with the sequence of the state it
 * decided on: a state written since (a station's amendment, a central correction) is left
 * for the next run to decide again.
 */
export interface PurgeTarget {
  collection: RetainedCollection;
  id: string;
  sequence: number;
}

/** A retention run, as its purges record it. */
export interface RetentionRun {
  runId: string;
  /** When the run started, by the server clock (ms): its `now`. */
  at: number;
  /** Per collection, the bound the run's candidates were dated before (ms). */
  cutoffs: Record<RetainedCollection, number>;
}

/**
 * What one run purged of one collection (the table retention_purges): counts, never ids or
 * anything else about the people whose records went.
 */
export interface RetentionPurge {
  runId: string;
  collection: RetainedCollection;
  at: number;
  cutoff: number;
  /** Records removed, each with every version of it. */
  purged: number;
}

/** Which rows a pull may see. */
export type PullScope =
  /** A station's own records of a station collection. */
  | { kind: 'station'; stationId: string }
  /** All rows of a reference collection. */
  | { kind: 'all' };

/** The work of one transaction: reads see the state the writes will replace. */
export interface RepositoryTransaction {
  /** Current states of these ids (locked against other writers until commit). */
  current(collection: SyncedCollection, ids: string[]): Promise<Map<string, StoredRecord>>;
  /**
   * Current states of these ids as committed (and as this transaction wrote them), without
   * locking them: for lookups that decide nothing about these records' next state (an
   * officer named by a push), so that they neither wait for nor hold up their writers.
   */
  read(collection: SyncedCollection, ids: string[]): Promise<Map<string, StoredRecord>>;
  /**
   * Writes states, each with the next sequence number, in the given order; every write
   * is also appended to the record's history. Returns the stored records.
   *
   * `last`: the work does nothing more in this transaction, so the store may commit it
   * together with this write (PostgreSQL sends the COMMIT in the same round trip, which
   * shortens the time a pooled connection is held). The transaction cannot be used
   * afterwards, and the work must not fail after it: on PostgreSQL its writes are
   * committed once the call returned.
   */
  write(writes: RecordWrite[], receivedAt: number, options?: { last?: boolean }): Promise<StoredRecord[]>;
  /** Whether this exact state (by the hash of its canonical JSON) was ever written for the record. */
  seenBefore(collection: SyncedCollection, id: string, documentHash: string): Promise<boolean>;
  logConflict(conflict: ConflictEntry, detectedAt: number): Promise<void>;
  /**
   * Waits until no other transaction is checking this station's audit chain, so that each
   * check sees the entries of the one before it (PostgreSQL; on SQLite, where one
   * transaction writes at a time, there is nothing to wait for).
   */
  lockAuditChain(stationId: string): Promise<void>;
  /** The station's audit entries with these numbers (two for one number when the station repeated it), this transaction's writes included. */
  auditEntries(stationId: string, sequences: number[]): Promise<StoredRecord[]>;
  /** The highest number of the station's audit entries below `sequence`; 0 when there is none. */
  auditSequenceBefore(stationId: string, sequence: number): Promise<number>;
  /** Records a break of a station's audit chain; false when the same break (station, sequence, kind) was recorded before. */
  reportAuditChainBreak(report: Omit<AuditChainReport, 'resolvedAt'>): Promise<boolean>;
  /** Marks the open gap report of entry `sequence` resolved; false when there was none open. */
  resolveAuditChainGap(stationId: string, sequence: number, resolvedAt: number): Promise<boolean>;
}

export interface SyncRepository {
  readonly kind: 'sqlite' | 'postgres';
  /** Brings the schema to the newest version; returns the versions it applied. */
  migrate(): Promise<number[]>;
  /** Throws when the database cannot be reached (readiness). */
  ping(): Promise<void>;
  /**
   * Runs `work` in one transaction; everything it wrote is committed together or not at
   * all. Transactions that write the same records run one after the other.
   */
  transaction<T>(work: (tx: RepositoryTransaction) => Promise<T>): Promise<T>;
  /**
   * Rows of a collection changed after sequence `after`, in sequence order, at most
   * `limit`. `checkpoint` is the sequence of the last row returned, or `after` when none.
   */
  pull(collection: SyncedCollection, scope: PullScope, after: number, limit: number): Promise<{ records: StoredRecord[]; checkpoint: number }>;
  /**
   * pull, giving only each row's document as the JSON text the store holds (PostgreSQL's
   * spelling of it may differ in spaces and key order from what was written, never in
   * meaning): a page of reference data goes to the station as stored, without being
   * parsed and written out again.
   */
  pullTexts(collection: SyncedCollection, scope: PullScope, after: number, limit: number): Promise<{ documents: string[]; checkpoint: number }>;
  /** The highest sequence number visible to pulls (0 on an empty store). */
  lastSequence(): Promise<number>;
  /** How many rows a collection holds (for metrics and tests). */
  count(collection: SyncedCollection, stationId?: string): Promise<number>;
  /** Every version ever written for a record, oldest first. */
  history(collection: SyncedCollection, id: string): Promise<{ sequence: number; receivedAt: number; document: WireDocument }[]>;
  conflicts(filter: { stationId?: string; after?: number; limit?: number }): Promise<StoredConflict[]>;

  /** The first station, in id order, after `after` (null: from the start) that has audit entries; null when there is none. */
  nextAuditStation(after: string | null): Promise<string | null>;
  /** A page of one station's audit entries in (sequence, id) order, after `after` (null: from the first). */
  auditTrailPage(stationId: string, after: { sequence: number; id: string } | null, limit: number): Promise<StoredAuditEntry[]>;
  /** Audit chain reports in (station, sequence, kind) order, after `after`; all of them without a limit. */
  auditChainReports(filter: {
    stationId?: string;
    unresolvedOnly?: boolean;
    after?: Pick<AuditChainReport, 'stationId' | 'sequence' | 'kind'>;
    limit?: number;
  }): Promise<AuditChainReport[]>;

  /**
   * A page of a retention run's candidates: records of a collection dated before `before`
   * (registrations by arrivalAt, crossings by occurredAt, captures by createdAt), in
   * (date, id) order after `after` (null: from the first), read through an index.
   */
  retentionCandidates(collection: RetainedCollection, before: number, after: { at: number; id: string } | null, limit: number): Promise<StoredRecord[]>;
  /** The crossings of travellers with these documents (number and issuing state, as stored). */
  crossingsOfDocuments(documents: { documentNumber: string; issuingState: string }[]): Promise<StoredRecord[]>;
  /** The fingerprint captures that belong to these records. */
  biometricsOf(recordIds: string[]): Promise<StoredRecord[]>;
  /** The current states of these ids, as committed. */
  records(collection: SyncedCollection, ids: string[]): Promise<Map<string, StoredRecord>>;
  /**
   * Removes records for good, in one transaction: each record's row, every version of it in
   * the history and its entries in the conflict log, if the record is still at the
   * sequence given. Adds what it removed to the run's rows of retention_purges (made with
   * 0 for each collection of the run's cutoffs, so that a run that removed nothing is
   * recorded too), and never hands out a removed sequence number again. Returns the
   * records removed per collection. Pulls no longer see the records; nothing is announced.
   */
  purge(run: RetentionRun, targets: PurgeTarget[]): Promise<Record<RetainedCollection, number>>;
  /** Retention runs' rows, in (at, runId, collection) order, after `after`; all of them without a limit. */
  retentionPurges(filter: { after?: Pick<RetentionPurge, 'at' | 'runId' | 'collection'>; limit?: number }): Promise<RetentionPurge[]>;

  addCredential(credential: StationCredential): Promise<void>;
  /** The station's credentials that are not revoked. */
  credentials(stationId: string): Promise<StationCredential[]>;
  revokeCredentials(stationId: string, revokedAt: number): Promise<number>;

  /** Releases for the update feed and the stations' last reports (migration 4). */
  readonly fleet: FleetStore;

  /** Notified (on this node and, with PostgreSQL, on every node) after writes commit. */
  onChange(listener: (change: { collection: SyncedCollection; stationId: string | null; sequence: number }) => void): () => void;
  close(): Promise<void>;
}
