import type { SyncedCollection, WireDocument } from '../../domain/sync';

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
   */
  write(writes: RecordWrite[], receivedAt: number): Promise<StoredRecord[]>;
  /** Whether this exact state (by the hash of its canonical JSON) was ever written for the record. */
  seenBefore(collection: SyncedCollection, id: string, documentHash: string): Promise<boolean>;
  logConflict(conflict: ConflictEntry, detectedAt: number): Promise<void>;
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
  /** The highest sequence number visible to pulls (0 on an empty store). */
  lastSequence(): Promise<number>;
  /** How many rows a collection holds (for metrics and tests). */
  count(collection: SyncedCollection, stationId?: string): Promise<number>;
  /** Every version ever written for a record, oldest first. */
  history(collection: SyncedCollection, id: string): Promise<{ sequence: number; receivedAt: number; document: WireDocument }[]>;
  conflicts(filter: { stationId?: string; after?: number; limit?: number }): Promise<StoredConflict[]>;

  addCredential(credential: StationCredential): Promise<void>;
  /** The station's credentials that are not revoked. */
  credentials(stationId: string): Promise<StationCredential[]>;
  revokeCredentials(stationId: string, revokedAt: number): Promise<number>;

  /** Notified (on this node and, with PostgreSQL, on every node) after writes commit. */
  onChange(listener: (change: { collection: SyncedCollection; stationId: string | null; sequence: number }) => void): () => void;
  close(): Promise<void>;
}
