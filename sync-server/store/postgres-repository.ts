import pg from 'pg';
import type { Notification, PoolClient, QueryResultRow } from 'pg';
import { z } from 'zod';
import { referenceCollections, stationCollections, type SyncedCollection, type WireDocument } from '../../domain/sync';
import { documentHash } from './document-hash';
import { migrationsTable, pendingMigrations } from './migrations';
import type {
  ConflictEntry,
  PullScope,
  RecordWrite,
  RepositoryTransaction,
  StationCredential,
  StoredConflict,
  StoredRecord,
  SyncRepository,
} from './repository';

/**
 * The PostgreSQL store, for servers that run on several nodes against one database.
 *
 * Sequence visibility. A pull "after N" must never miss a row it could see later with a
 * number at or below one it already returned. With numbers drawn from a sequence (or any
 * counter) by concurrent transactions, a transaction can take 5, another take 6 and
 * commit first: a pull then returns 6, and 5 appears later, below the checkpoint, never
 * to be pulled. Filtering pulls on the writing transaction's id (xid below the oldest
 * running one) does not close this: a transaction's xid is assigned at its first write or
 * row lock, which can come before or after another's number, so xid order is not number
 * order either.
 *
 * So writers take turns from their first numbered write to their commit: the first
 * write() (or logConflict()) of a transaction takes one transaction-scoped advisory lock,
 * shared by every writer of the database on every node, and only then reads
 * max(sequence) + 1. PostgreSQL makes a commit visible before it releases the
 * transaction's locks, so the next writer's numbers are higher than every committed one,
 * and sequence order is commit order: `sequence > after` is then all a pull needs, and
 * lastSequence() is the plain max. Only the tail of a transaction (write, notify,
 * commit) is serial; reading and deciding run concurrently, and transactions on the same
 * records already wait for each other in current().
 *
 * Changes reach listeners through LISTEN/NOTIFY: the NOTIFY is sent inside the writing
 * transaction, so it is delivered only if it commits, in commit order, to every node;
 * this node's own changes come back the same way.
 */
export class PostgresRepositoryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PostgresRepositoryError';
  }
}

type Change = Parameters<Parameters<SyncRepository['onChange']>[0]>[0];
type ChangeListener = (change: Change) => void;

/** The channel every node listens on; its payload is a Change as JSON. */
const changeChannel = 'mis_changes';

/** Advisory lock keys are (class, object) pairs, so they cannot meet another application's single-key locks. */
const lockClass = {
  migrations: 0x4d49_0001,
  /** Held by a transaction from its first numbered write to its commit. */
  writes: 0x4d49_0002,
  /** Per record, by a hash of collection and id (a collision only makes two transactions wait for each other). */
  record: 0x4d49_0003,
} as const;

/** The LISTEN connection is retried after 100 ms, doubling to at most 5 s. */
const reconnectDelay = { first: 100, max: 5_000 } as const;

const changePayload = z.object({
  collection: z.enum([...stationCollections, ...referenceCollections]),
  stationId: z.string().nullable(),
  sequence: z.number().int().positive(),
});

export async function openPostgresRepository(url: string, options: { poolSize?: number } = {}): Promise<SyncRepository> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle connection that breaks (PostgreSQL restarted) is dropped by the pool and
  // replaced on next use; without a handler its error would end the process.
  pool.on('error', () => undefined);
  const listeners = new Set<ChangeListener>();
  const feed = new ChangeFeed(url, (change) => deliver(listeners, change));
  try {
    await feed.start();
  } catch (error) {
    await pool.end();
    throw new PostgresRepositoryError(`The sync store's PostgreSQL database cannot be reached: ${(error as Error).message}`, { cause: error });
  }
  return new PostgresRepository(pool, feed, listeners);
}

/** A listener's error is its own: it surfaces as an uncaught error, not in the store. */
function deliver(listeners: Set<ChangeListener>, change: Change): void {
  for (const listener of listeners) {
    try {
      listener(change);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

interface RecordRow {
  collection: SyncedCollection;
  id: string;
  station_id: string | null;
  /** bigint columns arrive as text: the driver will not guess a JavaScript number for them. */
  sequence: string;
  received_at: string;
  document: WireDocument;
  written_by: string;
}

const recordColumns = 'collection, id, station_id, sequence, received_at, document, written_by';

function toStoredRecord(row: RecordRow): StoredRecord {
  return {
    collection: row.collection,
    id: row.id,
    stationId: row.station_id,
    sequence: Number(row.sequence),
    receivedAt: Number(row.received_at),
    document: row.document,
    writtenBy: row.written_by,
  };
}

/** The document as stored: its receivedAt (when it has one) is the write's. */
function stamped(document: WireDocument, receivedAt: number): WireDocument {
  return Object.hasOwn(document, 'receivedAt') ? { ...document, receivedAt } : { ...document };
}

/** The highest sequence written per collection and station: listeners only need to know where to pull. */
function coalesce(records: StoredRecord[]): Change[] {
  const latest = new Map<string, Change>();
  for (const { collection, stationId, sequence } of records) {
    latest.set(JSON.stringify([collection, stationId]), { collection, stationId, sequence });
  }
  return [...latest.values()].sort((a, b) => a.sequence - b.sequence);
}

const unpairedSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** U+0000, or half of a surrogate pair: text that JSON allows and jsonb refuses. */
function isUnstorable(text: string): boolean {
  return text.includes('\u0000') || unpairedSurrogate.test(text);
}

function hasUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return isUnstorable(value);
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, member]) => isUnstorable(key) || hasUnstorableText(member));
  }
  return false;
}

/** Refused before anything is sent, with a message that names the record but not its contents. */
function assertStorable(collection: string, id: string, document: WireDocument): void {
  if (hasUnstorableText(document)) {
    throw new PostgresRepositoryError(`The document ${collection}/${id} holds text PostgreSQL cannot store (a U+0000 character or an unpaired surrogate).`);
  }
}

/** Record locks are taken in ascending key order, so two transactions locking overlapping ids cannot deadlock. */
function recordLockKeys(collection: SyncedCollection, ids: string[]): number[] {
  const keys = new Set(ids.map((id) => recordLockKey(collection, id)));
  return [...keys].sort((a, b) => a - b);
}

/** A 32-bit FNV-1a hash of collection and id, as a signed int4 for pg_advisory_xact_lock(int4, int4). */
function recordLockKey(collection: string, id: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${collection}\u0000${id}`) {
    const code = char.codePointAt(0) ?? 0;
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  return hash | 0;
}

async function rows<Row extends QueryResultRow>(client: Pick<PoolClient, 'query'>, sql: string, params: unknown[] = []): Promise<Row[]> {
  return (await client.query<Row>(sql, params)).rows;
}

class PostgresTransaction implements RepositoryTransaction {
  readonly written: StoredRecord[] = [];
  private holdsWriteLock = false;
  private finished = false;

  constructor(private readonly client: PoolClient) {}

  finish(): void {
    this.finished = true;
  }

  async current(collection: SyncedCollection, ids: string[]): Promise<Map<string, StoredRecord>> {
    this.assertOpen();
    if (ids.length === 0) return new Map();
    // Row locks cannot hold an id that has no row yet: the advisory lock makes a second
    // transaction reading the same new id wait until the first commits, and its read
    // (a new statement, so a new snapshot under READ COMMITTED) then sees that write.
    await this.client.query('SELECT pg_advisory_xact_lock($1, key) FROM unnest($2::int4[]) AS key', [lockClass.record, recordLockKeys(collection, ids)]);
    const found = await rows<RecordRow>(
      this.client,
      `SELECT ${recordColumns} FROM records WHERE collection = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE`,
      [collection, ids],
    );
    return new Map(found.map((row) => [row.id, toStoredRecord(row)]));
  }

  async write(writes: RecordWrite[], receivedAt: number): Promise<StoredRecord[]> {
    this.assertOpen();
    if (writes.length === 0) return [];
    for (const write of writes) assertStorable(write.collection, write.id, write.document);
    await this.takeWriteLock();
    // A statement of its own, after the lock: its snapshot sees the previous writer's commit.
    const [last] = await rows<{ last: string }>(this.client, 'SELECT coalesce(max(sequence), 0) AS last FROM records');
    const first = Number(last?.last ?? 0) + 1;
    const stored = writes.map((write, index) => ({
      collection: write.collection,
      id: write.id,
      stationId: write.stationId,
      sequence: first + index,
      receivedAt,
      document: stamped(write.document, receivedAt),
      writtenBy: write.writtenBy,
    }));
    await this.client.query(
      // Every write goes to the history; the records table keeps the last write of each
      // record (a batch may hold the same record twice, which one upsert cannot take).
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::boolean[], $6::jsonb[], $7::text[], $8::text[])
           AS w(collection, id, station_id, sequence, deleted, document, document_hash, written_by)
       ), history AS (
         INSERT INTO record_history (sequence, collection, id, received_at, document_hash, document, written_by)
         SELECT sequence, collection, id, $9, document_hash, document, written_by FROM input
       )
       INSERT INTO records (collection, id, station_id, sequence, received_at, deleted, document, written_by)
       SELECT DISTINCT ON (collection, id) collection, id, station_id, sequence, $9, deleted, document, written_by
       FROM input ORDER BY collection, id, sequence DESC
       ON CONFLICT (collection, id) DO UPDATE SET station_id = excluded.station_id, sequence = excluded.sequence,
         received_at = excluded.received_at, deleted = excluded.deleted, document = excluded.document, written_by = excluded.written_by`,
      [
        stored.map((record) => record.collection),
        stored.map((record) => record.id),
        stored.map((record) => record.stationId),
        stored.map((record) => record.sequence),
        stored.map((record) => record.document._deleted),
        stored.map((record) => JSON.stringify(record.document)),
        stored.map((record) => documentHash(record.document)),
        stored.map((record) => record.writtenBy),
        receivedAt,
      ],
    );
    this.written.push(...stored);
    return stored;
  }

  async seenBefore(collection: SyncedCollection, id: string, hash: string): Promise<boolean> {
    this.assertOpen();
    const [row] = await rows<{ seen: boolean }>(
      this.client,
      'SELECT EXISTS (SELECT 1 FROM record_history WHERE collection = $1 AND id = $2 AND document_hash = $3) AS seen',
      [collection, id, hash],
    );
    return row?.seen ?? false;
  }

  async logConflict(conflict: ConflictEntry, detectedAt: number): Promise<void> {
    this.assertOpen();
    assertStorable(conflict.collection, conflict.recordId, conflict.kept);
    assertStorable(conflict.collection, conflict.recordId, conflict.setAside);
    // Conflict numbers are read "after N" too: the same turn-taking keeps them in commit order.
    await this.takeWriteLock();
    await this.client.query(
      // The same set-aside version twice (a replayed push) is one conflict.
      'INSERT INTO conflicts (collection, record_id, station_id, rule, kept, set_aside, set_aside_hash, detected_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (collection, record_id, set_aside_hash) DO NOTHING',
      [conflict.collection, conflict.recordId, conflict.stationId, conflict.rule, JSON.stringify(conflict.kept), JSON.stringify(conflict.setAside), documentHash(conflict.setAside), detectedAt],
    );
  }

  /** Sent inside the transaction: PostgreSQL delivers them only if it commits. */
  async notifyChanges(): Promise<void> {
    const payloads = coalesce(this.written).map((change) => JSON.stringify(change));
    if (payloads.length > 0) await this.client.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [changeChannel, payloads]);
  }

  private async takeWriteLock(): Promise<void> {
    if (this.holdsWriteLock) return;
    await this.client.query('SELECT pg_advisory_xact_lock($1, 0)', [lockClass.writes]);
    this.holdsWriteLock = true;
  }

  /** A call after the transaction ended would run outside it, on a connection another caller may have. */
  private assertOpen(): void {
    if (this.finished) throw new PostgresRepositoryError('This transaction has already ended: use the store only inside the work it was given to.');
  }
}

class PostgresRepository implements SyncRepository {
  readonly kind = 'postgres';

  constructor(
    private readonly pool: pg.Pool,
    private readonly feed: ChangeFeed,
    private readonly listeners: Set<ChangeListener>,
  ) {}

  migrate(): Promise<number[]> {
    return this.inTransaction(async (client) => {
      // Nodes starting together take turns: the second finds the migrations applied.
      await client.query('SELECT pg_advisory_xact_lock($1, 0)', [lockClass.migrations]);
      await client.query(migrationsTable.postgres);
      const applied = await rows<{ version: number }>(client, 'SELECT version FROM schema_migrations');
      const pending = pendingMigrations(applied.map((row) => row.version));
      for (const migration of pending) {
        await client.query(migration.postgres);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
      }
      return pending.map((migration) => migration.version);
    });
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  transaction<T>(work: (tx: RepositoryTransaction) => Promise<T>): Promise<T> {
    return this.inTransaction(async (client) => {
      const tx = new PostgresTransaction(client);
      try {
        const result = await work(tx);
        await tx.notifyChanges();
        return result;
      } finally {
        tx.finish();
      }
    });
  }

  async pull(collection: SyncedCollection, scope: PullScope, after: number, limit: number): Promise<{ records: StoredRecord[]; checkpoint: number }> {
    const found =
      scope.kind === 'station'
        ? await rows<RecordRow>(
            this.pool,
            `SELECT ${recordColumns} FROM records WHERE collection = $1 AND station_id = $2 AND sequence > $3 ORDER BY sequence LIMIT $4`,
            [collection, scope.stationId, after, limit],
          )
        : await rows<RecordRow>(this.pool, `SELECT ${recordColumns} FROM records WHERE collection = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`, [
            collection,
            after,
            limit,
          ]);
    const records = found.map(toStoredRecord);
    return { records, checkpoint: records.at(-1)?.sequence ?? after };
  }

  async lastSequence(): Promise<number> {
    const [row] = await rows<{ last: string }>(this.pool, 'SELECT coalesce(max(sequence), 0) AS last FROM records');
    return Number(row?.last ?? 0);
  }

  async count(collection: SyncedCollection, stationId?: string): Promise<number> {
    const [row] =
      stationId === undefined
        ? await rows<{ count: string }>(this.pool, 'SELECT count(*) AS count FROM records WHERE collection = $1', [collection])
        : await rows<{ count: string }>(this.pool, 'SELECT count(*) AS count FROM records WHERE collection = $1 AND station_id = $2', [collection, stationId]);
    return Number(row?.count ?? 0);
  }

  async history(collection: SyncedCollection, id: string): Promise<{ sequence: number; receivedAt: number; document: WireDocument }[]> {
    const found = await rows<{ sequence: string; received_at: string; document: WireDocument }>(
      this.pool,
      'SELECT sequence, received_at, document FROM record_history WHERE collection = $1 AND id = $2 ORDER BY sequence',
      [collection, id],
    );
    return found.map((row) => ({ sequence: Number(row.sequence), receivedAt: Number(row.received_at), document: row.document }));
  }

  async conflicts(filter: { stationId?: string; after?: number; limit?: number }): Promise<StoredConflict[]> {
    const found = await rows<ConflictRow>(
      this.pool,
      // LIMIT NULL is PostgreSQL's "no limit".
      `SELECT number, collection, record_id, station_id, rule, kept, set_aside, detected_at FROM conflicts
       WHERE ($1::text IS NULL OR station_id = $1) AND number > $2 ORDER BY number LIMIT $3`,
      [filter.stationId ?? null, filter.after ?? 0, filter.limit ?? null],
    );
    return found.map(toStoredConflict);
  }

  async addCredential(credential: StationCredential): Promise<void> {
    await this.pool.query('INSERT INTO station_credentials (station_id, secret_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4)', [
      credential.stationId,
      credential.secretHash,
      credential.createdAt,
      credential.revokedAt,
    ]);
  }

  async credentials(stationId: string): Promise<StationCredential[]> {
    const found = await rows<{ station_id: string; secret_hash: string; created_at: string; revoked_at: string | null }>(
      this.pool,
      'SELECT station_id, secret_hash, created_at, revoked_at FROM station_credentials WHERE station_id = $1 AND revoked_at IS NULL ORDER BY created_at',
      [stationId],
    );
    return found.map((row) => ({
      stationId: row.station_id,
      secretHash: row.secret_hash,
      createdAt: Number(row.created_at),
      revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    }));
  }

  async revokeCredentials(stationId: string, revokedAt: number): Promise<number> {
    const result = await this.pool.query('UPDATE station_credentials SET revoked_at = $1 WHERE station_id = $2 AND revoked_at IS NULL', [revokedAt, stationId]);
    return result.rowCount ?? 0;
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.feed.close();
    await this.pool.end();
  }

  /**
   * Runs `body` in a READ COMMITTED transaction (set explicitly: the locking in current()
   * and write() relies on each statement taking a fresh snapshot) on a pooled connection.
   */
  private async inTransaction<T>(body: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out connection that breaks reports it here; the query in flight fails too.
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      try {
        const result = await body(client);
        const commit = await client.query('COMMIT');
        // COMMIT of a transaction that already failed (work swallowed a query's error)
        // answers ROLLBACK instead of failing: nothing was written.
        if (commit.command !== 'COMMIT') throw new PostgresRepositoryError('The transaction was rolled back by PostgreSQL after one of its statements failed; nothing was written.');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken ??= rollbackError;
        });
        throw error;
      }
    } finally {
      client.off('error', onError);
      // A broken connection is closed rather than handed to the next caller.
      client.release(broken ?? false);
    }
  }
}

interface ConflictRow {
  number: string;
  collection: SyncedCollection;
  record_id: string;
  station_id: string;
  rule: string;
  kept: WireDocument;
  set_aside: WireDocument;
  detected_at: string;
}

function toStoredConflict(row: ConflictRow): StoredConflict {
  return {
    number: Number(row.number),
    collection: row.collection,
    recordId: row.record_id,
    stationId: row.station_id,
    rule: row.rule,
    kept: row.kept,
    setAside: row.set_aside,
    detectedAt: Number(row.detected_at),
  };
}

/**
 * The LISTEN side: one dedicated connection that receives every node's changes. When it
 * drops (PostgreSQL restarted, network cut) it is opened again with a growing delay, and
 * what was committed meanwhile is delivered from the records table, so a listener that
 * missed notifications still learns where to pull.
 */
class ChangeFeed {
  private client: pg.Client | null = null;
  /** The connection being opened, awaited by close() so that none is left behind. */
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failedAttempts = 0;
  private closed = false;
  /** Every change up to this sequence was delivered or came before this feed started; null before the first connection. */
  private delivered: number | null = null;

  constructor(
    private readonly url: string,
    private readonly deliver: (change: Change) => void,
  ) {}

  /** Opens the first connection; fails when the database cannot be reached. */
  start(): Promise<void> {
    return this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await client?.end();
  }

  private connect(): Promise<void> {
    const attempt = this.openConnection().finally(() => {
      this.connecting = null;
    });
    this.connecting = attempt;
    return attempt;
  }

  private async openConnection(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => this.received(message));
    try {
      await client.connect();
      await client.query(`LISTEN ${changeChannel}`);
      await this.catchUp(client);
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.failedAttempts = 0;
  }

  /**
   * On the first connection, notes where the store stands; on a reconnection, delivers
   * the newest change of every collection and station committed since the last one delivered.
   */
  private async catchUp(client: pg.Client): Promise<void> {
    const [table] = await rows<{ exists: boolean }>(client, "SELECT to_regclass('records') IS NOT NULL AS exists");
    if (!table?.exists) {
      // No schema yet, so no change yet: everything from the first sequence on is news.
      this.delivered = 0;
      return;
    }
    if (this.delivered === null) {
      const [row] = await rows<{ last: string }>(client, 'SELECT coalesce(max(sequence), 0) AS last FROM records');
      this.delivered = Number(row?.last ?? 0);
      return;
    }
    const missed = await rows<{ collection: SyncedCollection; station_id: string | null; sequence: string }>(
      client,
      'SELECT collection, station_id, max(sequence) AS sequence FROM records WHERE sequence > $1 GROUP BY collection, station_id ORDER BY max(sequence)',
      [this.delivered],
    );
    for (const row of missed) this.forward({ collection: row.collection, stationId: row.station_id, sequence: Number(row.sequence) });
  }

  private received(message: Notification): void {
    if (message.channel !== changeChannel || message.payload === undefined) return;
    let payload: unknown;
    try {
      payload = JSON.parse(message.payload);
    } catch {
      // Not one of ours (another program on the channel): nothing to deliver.
      return;
    }
    const change = changePayload.safeParse(payload);
    if (change.success) this.forward(change.data);
  }

  private forward(change: Change): void {
    this.delivered = Math.max(this.delivered ?? 0, change.sequence);
    this.deliver(change);
  }

  private lost(client: pg.Client): void {
    if (this.closed || client !== this.client) return;
    this.client = null;
    void client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = Math.min(reconnectDelay.max, reconnectDelay.first * 2 ** this.failedAttempts);
    this.failedAttempts += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.closed) return;
      this.connect().catch(() => this.scheduleReconnect());
    }, delay);
  }
}
