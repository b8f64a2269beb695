import pg from 'pg';
import type { Notification, PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import type { RetainedCollection } from '../../domain/retention';
import type { SyncedCollection, WireDocument } from '../../domain/sync';
import { settleAll, settleBoth } from '../settle';
import { documentHash, stamped } from './document-hash';
import type { FleetStore } from './fleet-store';
import { migrationsTable, pendingMigrations } from './migrations';
import { onPooledConnection } from './postgres-connection';
import { PostgresFleetStore } from './postgres-fleet-store';
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
 * The PostgreSQL store, for servers that run on several nodes against one database.
 *
 * Sequence visibility. A pull "after N" must never miss a row it could see later with a
 * number at or below one it already returned. Concurrent transactions do not commit in
 * the order of their numbers: one takes 5, another takes 6 and commits first, and a pull
 * that returned 6 would never see 5. (Nor do xids help: a transaction gets its xid at its
 * first write or row lock, in no fixed order with its numbers.) Making commit order follow
 * number order, by one lock held from a writer's first number to its commit, puts every
 * commit's flush to disk in one global queue. So numbers are handed out in any order, and
 * pulls stop below the lowest number still in flight:
 *
 * - Drawing numbers (write(), logConflict()). One batch of statements, sent as one
 *   message: take the numbering lock (a session-level advisory lock); take the numbers
 *   (records: one above every number committed or in flight, the latter read from
 *   pg_locks in a statement before the one that reads the table; conflicts: the identity
 *   sequence); take a transaction-scoped advisory lock on the first and the last number
 *   drawn; release the numbering lock. Nothing in the batch writes to the log or flushes,
 *   nothing in it waits but for the numbering lock itself, and the server runs it to its
 *   end (or ends the session) whatever the client does meanwhile: the numbering lock is
 *   held for microseconds, never across a commit. A batch that
 *   fails midway may leave it held: its connection is then closed, which releases it. A
 *   number lock lasts until its transaction ends, however it ends (commit, rollback, a
 *   dropped connection): pg_locks lists the numbers in flight, and every transaction in
 *   flight holds a lock on its own lowest number.
 * - The horizon. One statement reads M, the highest number committed (in its snapshot),
 *   and then, from pg_locks, I, the lowest number in flight; the horizon is min(M, I - 1).
 *   A pull returns rows at or below the horizon only, read by a later statement;
 *   lastSequence() is the horizon. Readers never take the numbering lock.
 *
 * Why a pull cannot skip a row. Say the pull returned rows up to H (at most the horizon),
 * and a row numbered m <= H commits but was not in the pull's snapshot; T is the
 * transaction that commits it. Then m < M (M itself was committed before the horizon was
 * read, so the pull sees it). T drew m before M was drawn: a draw after M's would have
 * found M's transaction in flight (holding the lock on the last number of M's draw, at
 * least M) or committed (in the table, read after pg_locks, and a commit is visible before
 * its locks are released), and drawn above M. Draws take turns under the numbering lock and lock their numbers before passing
 * it on, so T held the lock on its lowest number, at most m, from before M was drawn, so
 * from before the horizon statement. When that statement read pg_locks, T was either in
 * flight, and then I <= m and H < m, or committed, and then the pull's later snapshot sees
 * m. Numbers drawn after the horizon statement are above M, so above H. The same holds for
 * conflict numbers, which the sequence draws in ascending order. A rollback leaves a gap
 * only below a higher committed number (records; conflicts may leave any gap), a retention
 * purge anywhere (its numbers are never drawn again, see writeStatements): gaps are
 * harmless, since pulls go by the horizon, not by contiguity.
 *
 * Changes reach listeners by the same horizon: each node's change feed, when woken, reads
 * the horizon and passes on what rose below it since its last look (the newest sequence
 * per collection and station), from the table, so every node reports every change once
 * it can be pulled, in order. Wake-ups are NOTIFYs that the writing node sends after its
 * commit (or after its rollback, which can lift the horizon too), in a transaction of
 * their own that does not wait for the disk: a NOTIFY inside the writing transaction would
 * hold PostgreSQL's global notify lock across that transaction's flush, every writer in
 * one queue again. (Other nodes running this code are a must: a node that numbers writes
 * otherwise breaks the argument above.) A lost wake-up (a node dies between its commit and its NOTIFY, a
 * writer's connection drops) only delays: a feed also looks on its own, every 50 ms while
 * committed rows wait above the horizon, every second otherwise.
 */
export class PostgresRepositoryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PostgresRepositoryError';
  }
}

type Change = Parameters<Parameters<SyncRepository['onChange']>[0]>[0];
type ChangeListener = (change: Change) => void;

/** The channel every node listens on; a notification on it (payload unused) wakes each node's change feed. */
const changeChannel = 'mis_changes';

/**
 * Advisory lock keys are (class, object) pairs, or single keys tagged in their high bits
 * (numbers in flight, below), so that they do not meet another application's locks.
 */
const lockClass = {
  migrations: 0x4d49_0001,
  /** Session-level, held only inside a batch that draws numbers (see the top of this file); object: the numbered table. */
  numbering: 0x4d49_0002,
  /** Per record, by a hash of collection and id (a collision only makes two transactions wait for each other). */
  record: 0x4d49_0003,
  /** Per station, by a hash of its id: one chain check of its audit trail at a time. */
  auditChain: 0x4d49_0004,
} as const;

/**
 * The two numbered tables. A number in flight is a transaction-scoped advisory lock on one
 * bigint key: the table's tag in bits 40-62, the number in bits 0-39 (numbers up to 2^40,
 * a million million). pg_locks shows such a key as classid (its high 32 bits) and objid
 * (its low 32 bits), with objsubid 1; (class, object) keys show objsubid 2.
 */
const numbered = {
  records: { table: 'records', column: 'sequence', tag: 0x4d_4904, numberingLock: 1 },
  conflicts: { table: 'conflicts', column: 'number', tag: 0x4d_4905, numberingLock: 2 },
} as const;
type Numbered = keyof typeof numbered;

const numberLimit = 2 ** 40;

/** The lock key of a number (an SQL expression). */
function numberKey(kind: Numbered, number: string): string {
  return `((${numbered[kind].tag}::bigint << 40) + ${number})`;
}

/** The numbers in flight, one row per lock. */
function inFlightSql(kind: Numbered): string {
  return `SELECT ((classid::bigint & 255) << 32) | objid::bigint AS number FROM pg_locks
    WHERE locktype = 'advisory' AND objsubid = 1 AND granted AND classid::bigint >> 8 = ${numbered[kind].tag}
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
}

/**
 * The horizon (see the top of this file): the highest number committed, from the
 * statement's snapshot, and the lowest in flight, read from pg_locks after that snapshot
 * was taken. `last` is the highest committed: above the horizon, rows wait.
 */
function horizonSql(kind: Numbered): string {
  const { table, column } = numbered[kind];
  return `SELECT least(last, (SELECT min(number) - 1 FROM (${inFlightSql(kind)}) AS in_flight)) AS horizon, last
    FROM (SELECT coalesce(max(${column}), 0) AS last FROM ${table}) AS committed`;
}

async function readHorizon(client: Pick<PoolClient, 'query'>, kind: Numbered): Promise<{ horizon: number; last: number }> {
  const [row] = await rows<{ horizon: string; last: string }>(client, horizonSql(kind));
  return { horizon: Number(row?.horizon ?? 0), last: Number(row?.last ?? 0) };
}

/** Takes and releases the numbering lock of a table around `statements`: one batch, one message. */
function numberingBatch(kind: Numbered, statements: string[]): string {
  const lock = `${lockClass.numbering}, ${numbered[kind].numberingLock}`;
  return [`SELECT pg_advisory_lock(${lock})`, ...statements, `SELECT pg_advisory_unlock(${lock})`].join(';\n');
}

/**
 * A write (PostgresTransaction.write) goes to the server as one simple-query message,
 * answered once: the numbering batch that draws its numbers, the statement that writes its
 * rows with them, and when it is the transaction's last, the COMMIT. Each statement the
 * server answers separately costs a flush there and a wake-up here, which on a busy
 * machine cost more than the statements themselves.
 *
 * The statements are prepared once per connection (SQL PREPARE, which outlasts the
 * transaction that ran it) and executed by name: planned afresh in every batch, the two
 * run under the numbering lock took most of a millisecond, all of it under the lock that
 * every writer of every node waits for. A connection that has not prepared them yet sends
 * the PREPAREs first in the same message, before the lock is taken.
 *
 * Drawing numbers: `count` consecutive sequence numbers, one above every number committed
 * or in flight. pg_locks is read first and the table by a later statement (a later
 * snapshot), so that a writer committing in between is seen in one or the other. A
 * committed number that a retention purge removed counts as committed: the purge left it
 * in retention_purges.highest_sequence, in the transaction that removed the row, so the
 * statement's snapshot has either the row or the number.
 *
 * Writing: every write goes to the history; the records table keeps the last write of each
 * record (a batch may hold the same record twice, which one upsert cannot take). The rows
 * come as JSON in base64 (see base64Literal), numbered from mis.first_sequence by their
 * position in the batch.
 */
const writeStatements = {
  inFlight: {
    name: 'mis_draw_records_in_flight',
    parameters: '',
    sql: `SELECT set_config('mis.sequences_in_flight', coalesce((SELECT max(number) FROM (${inFlightSql('records')}) AS in_flight), 0)::text, true)`,
  },
  draw: {
    name: 'mis_draw_records',
    // How many numbers.
    parameters: '(bigint)',
    sql: `WITH next AS MATERIALIZED (
       SELECT greatest(coalesce(max(sequence), 0), current_setting('mis.sequences_in_flight')::bigint,
         (SELECT coalesce(max(highest_sequence), 0) FROM retention_purges)) + 1 AS first FROM records
     )
     SELECT first, set_config('mis.first_sequence', first::text, true),
       pg_advisory_xact_lock(${numberKey('records', 'first')}), pg_advisory_xact_lock(${numberKey('records', 'first + $1 - 1')}) FROM next`,
  },
  rows: {
    name: 'mis_write_records',
    // The rows (JSON, base64), and the time they were received.
    parameters: '(text, bigint)',
    sql: `WITH input AS (
       SELECT collection, id, station_id, current_setting('mis.first_sequence')::bigint + position AS sequence, deleted, document, document_hash, written_by
       FROM jsonb_to_recordset(convert_from(decode($1, 'base64'), 'UTF8')::jsonb)
         AS w(collection text, id text, station_id text, position bigint, deleted boolean, document jsonb, document_hash text, written_by text)
     ), history AS (
       INSERT INTO record_history (sequence, collection, id, received_at, document_hash, document, written_by)
       SELECT sequence, collection, id, $2, document_hash, document, written_by FROM input
     )
     INSERT INTO records (collection, id, station_id, sequence, received_at, deleted, document, written_by)
     SELECT DISTINCT ON (collection, id) collection, id, station_id, sequence, $2, deleted, document, written_by
     FROM input ORDER BY collection, id, sequence DESC
     ON CONFLICT (collection, id) DO UPDATE SET station_id = excluded.station_id, sequence = excluded.sequence,
       received_at = excluded.received_at, deleted = excluded.deleted, document = excluded.document, written_by = excluded.written_by`,
  },
} as const;

/** Connections that prepared writeStatements. A connection whose write failed is closed, so a mark made as the PREPAREs were sent never outlives them. */
const writePreparedOn = new WeakSet<PoolClient>();

/** A row of a write as writeStatements.rows reads it. */
interface WriteRow {
  collection: SyncedCollection;
  id: string;
  station_id: string | null;
  /** From 0: its number is the first drawn plus this. */
  position: number;
  deleted: boolean;
  document: WireDocument;
  document_hash: string;
  written_by: string;
}

/**
 * Text as a literal of base64 digits, for a statement to decode (decode(…, 'base64')): the
 * digits (A–Z, a–z, 0–9, +, /, =) hold no quote or backslash, so data can travel inside a
 * simple-query message, which takes no parameters, without any escaping.
 */
function base64Literal(text: string): string {
  return `'${Buffer.from(text, 'utf8').toString('base64')}'`;
}

/** A whole number as a literal. */
function integerLiteral(value: number): string {
  if (!Number.isSafeInteger(value)) throw new PostgresRepositoryError(`${value} is not a whole number the store can take.`);
  return String(value);
}

/** The PREPAREs of writeStatements, for a connection that has not run them. */
function writeStatementsToPrepare(): string[] {
  return Object.values(writeStatements).map((statement) => `PREPARE ${statement.name} ${statement.parameters} AS ${statement.sql}`);
}

/** The first number a write batch (writeRecordsSql) drew: the one result with a column `first`, wherever it stands. */
function firstDrawn(results: QueryResult[]): number {
  const draw = results.find((result) => result.fields?.some((field) => field.name === 'first'));
  const first = Number((draw?.rows[0] as { first?: string } | undefined)?.first);
  if (!Number.isSafeInteger(first)) throw new PostgresRepositoryError('The write did not answer the sequence numbers it drew.');
  return first;
}

/** The message of a write (see writeStatements). `prepare`: the connection has not prepared the statements yet. */
function writeRecordsSql(rows: WriteRow[], receivedAt: number, prepare: boolean): string {
  const preparing = prepare ? writeStatementsToPrepare() : [];
  const draw = numberingBatch('records', [`EXECUTE ${writeStatements.inFlight.name}`, `EXECUTE ${writeStatements.draw.name} (${integerLiteral(rows.length)})`]);
  // Numbers past the limit would not fit their lock keys. Checked by the server, after the
  // numbering lock is given back: the transaction fails before the rows are written, or
  // anything committed.
  const limit = `DO $$ BEGIN
      IF current_setting('mis.first_sequence')::bigint + ${integerLiteral(rows.length - 1)} >= ${numberLimit} THEN
        RAISE EXCEPTION 'Sequence numbers have run out (next: %); the store numbers at most 2^40 writes.', current_setting('mis.first_sequence');
      END IF;
    END $$`;
  const write = `EXECUTE ${writeStatements.rows.name} (${base64Literal(JSON.stringify(rows))}, ${integerLiteral(receivedAt)})`;
  return [...preparing, draw, limit, write].join(';\n');
}

const drawConflictNumberSql = numberingBatch('conflicts', [
  `WITH next AS MATERIALIZED (SELECT nextval(pg_get_serial_sequence('conflicts', 'number')) AS number)
   SELECT number, set_config('mis.conflict_number', number::text, true), pg_advisory_xact_lock(${numberKey('conflicts', 'number')}) FROM next`,
]);

/** The feed looks at most this often when woken, every 50 ms while rows wait above the horizon, every second otherwise. */
const feedTiming = { spacing: 20, waiting: 50, idle: 1_000 } as const;

/** Wake-ups asked for while one is sent go out as one, this many ms later (the live streams coalesce over 50 ms anyway). */
const wakeUpSpacing = 25;

/** The LISTEN connection is retried after 100 ms, doubling to at most 5 s. */
const reconnectDelay = { first: 100, max: 5_000 } as const;

export interface PostgresRepositoryOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** How long a request waits for a pooled connection to come free, or for a new one to open (default 10 s). */
  connectionTimeoutMs?: number;
  /** How long PostgreSQL lets one statement run, lock waits included, before cancelling it (default 30 s). */
  statementTimeoutMs?: number;
}

/**
 * Every wait on the database is bounded, so that a request never hangs on it: it fails,
 * and the server answers 503 DATABASE_UNAVAILABLE (see unavailable.ts), which stations
 * retry. Parameters in the database URL (…?statement_timeout=60000&query_timeout=65000)
 * take precedence over these, as node-postgres reads the URL last.
 */
const waitLimits = {
  connectionTimeoutMs: 10_000,
  statementTimeoutMs: 30_000,
  /**
   * How much longer than the statement timeout a query waits for any answer at all: when
   * none comes (the connection went silent), the connection is given up. Longer than the
   * statement timeout, so that PostgreSQL cancels a slow statement first and the
   * connection is kept.
   */
  answerGraceMs: 5_000,
  /** A session idle inside its transaction this long is ended, releasing its locks (a node frozen mid-transaction would hold up every other node's writers and pulls). */
  idleInTransactionMs: 60_000,
  /**
   * Migrations run at start-up, not for a request, and may rightly take long (an index on
   * a large table, or a node waiting for another node's migrations): PostgreSQL does not
   * cancel them, and the answer is waited for this long.
   */
  migrationAnswerMs: 60 * 60_000,
} as const;

/** The connection settings that bound every wait, for the pool and the LISTEN connection alike. */
function boundedWaits(options: PostgresRepositoryOptions): pg.ClientConfig {
  const connectionTimeoutMs = options.connectionTimeoutMs ?? waitLimits.connectionTimeoutMs;
  const statementTimeoutMs = options.statementTimeoutMs ?? waitLimits.statementTimeoutMs;
  return {
    connectionTimeoutMillis: connectionTimeoutMs,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + waitLimits.answerGraceMs,
    idle_in_transaction_session_timeout: waitLimits.idleInTransactionMs,
  };
}

export async function openPostgresRepository(url: string, options: PostgresRepositoryOptions = {}): Promise<SyncRepository> {
  const size = options.poolSize ?? 10;
  const waits = boundedWaits(options);
  // A fixed set of connections, opened before the first request and kept: a connection
  // opened under load (a new server process) costs its authentication and a cold backend
  // just when there is no time for them. Each pipelines: statements sent together go out
  // together (see TransactionSession).
  const pool = new pg.Pool({ connectionString: url, max: size, min: size, pipeline: true, ...waits });
  // An idle connection that breaks (PostgreSQL restarted) is dropped by the pool and
  // replaced on next use; without a handler its error would end the process.
  pool.on('error', () => undefined);
  const listeners = new Set<ChangeListener>();
  const feed = new ChangeFeed(url, waits, (change) => deliver(listeners, change));
  try {
    await feed.start();
  } catch (error) {
    await pool.end();
    throw new PostgresRepositoryError(`The sync store's PostgreSQL database cannot be reached: ${(error as Error).message}`, { cause: error });
  }
  try {
    const opened = await Promise.all(Array.from({ length: size }, () => pool.connect()));
    for (const client of opened) client.release();
  } catch (error) {
    await feed.close();
    await pool.end();
    throw new PostgresRepositoryError(`The sync store's PostgreSQL database cannot be reached: ${(error as Error).message}`, { cause: error });
  }
  return new PostgresRepository(pool, feed, new WakeUps(feed), listeners);
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

/** An audit entry's number, exactly as the index records_audit_trail has it (migration 2): any other spelling misses the index. */
const auditSequence = "((document->>'sequence')::bigint)";

/** The date a record's retention runs from, per collection, as the indexes records_retention_* have it (migration 3). */
const retentionDate: Record<RetainedCollection, string> = {
  registrations: "((document->>'arrivalAt')::bigint)",
  crossings: "((document->>'occurredAt')::bigint)",
  biometrics: "((document->>'createdAt')::bigint)",
};

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

/** A transaction's statements that read records by id ($1 collection, $2 ids), or take the record locks ($1 lockClass.record, $2 recordLockKeys()). */
const recordStatements = {
  read: `SELECT ${recordColumns} FROM records WHERE collection = $1 AND id = ANY($2::text[])`,
  lock: 'SELECT pg_advisory_xact_lock($1, key) FROM unnest($2::int4[]) AS key',
  readLocked: `SELECT ${recordColumns} FROM records WHERE collection = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE`,
} as const;

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

/** Names of prepared statements by their text: each connection parses and plans a statement once. */
const statementNames = new Map<string, string>();

/** A statement, prepared under a name of its own on every connection that runs it. */
function prepared(text: string, values: unknown[] = []): QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `mis_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

async function rows<Row extends QueryResultRow>(client: Pick<PoolClient, 'query'>, sql: string, params: unknown[] = []): Promise<Row[]> {
  return (await client.query<Row>(prepared(sql, params))).rows;
}

/** A statement: SQL with parameters (prepared), or a batch of statements without any (simple protocol, one result each). */
type Statement = QueryConfig | string;

interface SendOptions {
  /** A statement writes data. */
  writes?: boolean;
  /** The transaction ends with these statements: its COMMIT goes with them (see TransactionSession.send). */
  commit?: boolean;
}

/** COMMIT of a transaction that already failed (work swallowed a query's error) answers ROLLBACK instead of failing: nothing was written. */
function rolledBack(): PostgresRepositoryError {
  return new PostgresRepositoryError('The transaction was rolled back by PostgreSQL after one of its statements failed; nothing was written.');
}

/**
 * A transaction's connection. Its BEGIN goes out with its first statement, and statements
 * that do not wait for each other's answers go out together: the connection pipelines,
 * and the server still runs them one after the other, each as if sent on its own (a new
 * statement, a new snapshot). A failure aborts the transaction, so the statements behind
 * it fail too, and nothing of them is committed.
 */
class TransactionSession {
  private begun = false;
  /** Whether COMMIT was sent (with the work's last statements): the transaction is over, however it ended. */
  private commitSent = false;
  private committed = false;
  /** Whether the connection's socket holds writes back until the current tick ends (sendTogether). */
  private corked = false;

  constructor(
    readonly client: PoolClient,
    /** Statements sent with BEGIN that set up the transaction (SET LOCAL …). */
    private readonly settings: string[] = [],
  ) {}

  /** Whether BEGIN was sent: only then is there a transaction to commit or roll back. */
  get started(): boolean {
    return this.begun;
  }

  /** Whether the transaction ended with statements sent along with its COMMIT, and how: true when committed. */
  get ended(): { committed: boolean } | null {
    return this.commitSent ? { committed: this.committed } : null;
  }

  async query<Row extends QueryResultRow = QueryResultRow>(statement: QueryConfig, options: SendOptions = {}): Promise<QueryResult<Row>> {
    const [result] = await this.send([statement], options);
    return result as QueryResult<Row>;
  }

  /**
   * Sends statements together, waits for every answer, and returns their results in order
   * (a batch's as an array); throws the first failure. BEGIN goes out with statements that
   * write nothing only: were it to fail, they would have run on their own, harmlessly;
   * statements that write wait until BEGIN succeeded.
   *
   * `commit`: the COMMIT goes with the statements, in the same message as the last when
   * that is a batch (simple protocol), else right behind it, so that the server commits
   * without waiting for this process to read their answers and send it. It commits only
   * what every statement before it did: a statement that fails aborts the transaction, and
   * the server then skips the rest of its batch, COMMIT included, or answers a COMMIT
   * sent on its own with ROLLBACK. (node-postgres refuses a statement without sending it
   * only for a malformed one, a reused statement name or a parameter it cannot convert;
   * the statements sent this way are the repository's own.)
   */
  async send(statements: Statement[], options: SendOptions = {}): Promise<(QueryResult | QueryResult[])[]> {
    if (!this.begun) {
      this.begun = true;
      this.sendTogether();
      const begin = this.client.query(['BEGIN ISOLATION LEVEL READ COMMITTED', ...this.settings].join(';\n'));
      if (options.writes || options.commit) {
        await begin;
      } else {
        const [, ...results] = await settleAll([begin, ...statements.map((statement) => this.submit(statement))]);
        return results;
      }
    }
    if (!options.commit) return settleAll(statements.map((statement) => this.submit(statement)));
    const last = statements.at(-1);
    const inBatch = typeof last === 'string';
    const sent = inBatch ? [...statements.slice(0, -1), `${last};\nCOMMIT`] : [...statements, 'COMMIT'];
    this.commitSent = true;
    const results = await settleAll(sent.map((statement) => this.submit(statement)));
    const commit = inBatch ? batchResults(results.at(-1)).pop() : (results.pop() as QueryResult);
    if (commit?.command !== 'COMMIT') throw rolledBack();
    this.committed = true;
    return results;
  }

  private submit(statement: Statement): Promise<QueryResult | QueryResult[]> {
    this.sendTogether();
    // A batch answers with one result per statement; its type says one, as for one statement.
    return typeof statement === 'string' ? (this.client.query(statement) as Promise<QueryResult | QueryResult[]>) : this.client.query(statement);
  }

  /**
   * Holds back what is submitted until the current tick ends, so that statements sent
   * together (by one send, or by sends of the same tick, as a push's officer lookup and
   * its read of the records) leave in one write. node-postgres writes every statement on
   * its own, and each write to the database costs a system call here and a wake-up of the
   * server process there: at hundreds of pushes a second, a good part of both sides' CPU.
   */
  private sendTogether(): void {
    if (this.corked) return;
    const socket = (this.client as unknown as pg.Client).connection.stream;
    socket.cork();
    this.corked = true;
    process.nextTick(() => {
      this.corked = false;
      socket.uncork();
    });
  }
}

/** The results of a batch (one per statement). */
function batchResults(result: QueryResult | QueryResult[] | undefined): QueryResult[] {
  if (result === undefined) return [];
  return Array.isArray(result) ? result : [result];
}

/**
 * Set with BEGIN in every transaction of transaction(). Its statements find records by
 * key (collection and ids, a station's audit entries by number) or write them, and one
 * plan serves every call of each: a generic plan, planned once per connection. Left to
 * choose, PostgreSQL plans some of them anew on every call (a custom plan for the ids at
 * hand), and each planning reads the size of the records table and of each of its nine
 * indexes, a system call apiece, for a plan that comes out the same.
 */
const transactionSettings = ['SET LOCAL plan_cache_mode = force_generic_plan'];

class PostgresTransaction implements RepositoryTransaction {
  /** Whether it drew sequence numbers: its end, commit or rollback, may move the horizon. */
  drewSequences = false;
  /** A numbering batch may have failed: the session may still hold the numbering lock, so its connection must be closed, not reused. */
  numberingLockInDoubt = false;
  private finished = false;

  constructor(private readonly session: TransactionSession) {}

  finish(): void {
    this.finished = true;
  }

  async current(collection: SyncedCollection, ids: string[]): Promise<Map<string, StoredRecord>> {
    this.assertOpen();
    if (ids.length === 0) return new Map();
    // Row locks cannot hold an id that has no row yet: the advisory lock makes a second
    // transaction reading the same new id wait until the first commits, and its read
    // (a new statement, so a new snapshot under READ COMMITTED, though sent with the lock)
    // then sees that write.
    const [, found] = await this.session.send([
      prepared(recordStatements.lock, [lockClass.record, recordLockKeys(collection, ids)]),
      prepared(recordStatements.readLocked, [collection, ids]),
    ]);
    return new Map(batchResults(found)[0]!.rows.map((row: RecordRow) => [row.id, toStoredRecord(row)]));
  }

  async read(collection: SyncedCollection, ids: string[]): Promise<Map<string, StoredRecord>> {
    this.assertOpen();
    if (ids.length === 0) return new Map();
    const found = await this.session.query<RecordRow>(prepared(recordStatements.read, [collection, ids]));
    return new Map(found.rows.map((row) => [row.id, toStoredRecord(row)]));
  }

  async write(writes: RecordWrite[], receivedAt: number, options: { last?: boolean } = {}): Promise<StoredRecord[]> {
    this.assertOpen();
    for (const write of writes) assertStorable(write.collection, write.id, write.document);
    // Nothing may use the transaction after its last write, not even while it is sent.
    if (options.last) this.finish();
    // Nothing to write: the commit, if this was the last write, is left to the transaction's end.
    if (writes.length === 0) return [];
    const documents = writes.map((write) => stamped(write.document, receivedAt));
    this.drewSequences = true;
    // One message draws the numbers and writes the rows (writeStatements), and when this is
    // the last write, commits them too.
    const prepare = !writePreparedOn.has(this.session.client);
    writePreparedOn.add(this.session.client);
    const rows: WriteRow[] = writes.map((write, position) => ({
      collection: write.collection,
      id: write.id,
      station_id: write.stationId,
      position,
      deleted: documents[position]!._deleted,
      document: documents[position]!,
      document_hash: documentHash(documents[position]!),
      written_by: write.writtenBy,
    }));
    const [written] = await this.numbering([writeRecordsSql(rows, receivedAt, prepare)], { commit: options.last });
    // Numbers past the limit failed the batch already (its DO block), before anything was written.
    const first = firstDrawn(batchResults(written));
    return writes.map((write, index) => ({
      collection: write.collection,
      id: write.id,
      stationId: write.stationId,
      sequence: first + index,
      receivedAt,
      document: documents[index]!,
      writtenBy: write.writtenBy,
    }));
  }

  async seenBefore(collection: SyncedCollection, id: string, hash: string): Promise<boolean> {
    this.assertOpen();
    const found = await this.session.query<{ seen: boolean }>(
      prepared('SELECT EXISTS (SELECT 1 FROM record_history WHERE collection = $1 AND id = $2 AND document_hash = $3) AS seen', [collection, id, hash]),
    );
    return found.rows[0]?.seen ?? false;
  }

  async logConflict(conflict: ConflictEntry, detectedAt: number): Promise<void> {
    this.assertOpen();
    assertStorable(conflict.collection, conflict.recordId, conflict.kept);
    assertStorable(conflict.collection, conflict.recordId, conflict.setAside);
    // Conflict numbers are read "after N" too: drawn and held like sequence numbers.
    await this.numbering([
      drawConflictNumberSql,
      prepared(
        // The same set-aside version twice (a replayed push) is one conflict (and its number a gap).
        `INSERT INTO conflicts (number, collection, record_id, station_id, rule, kept, set_aside, set_aside_hash, detected_at) OVERRIDING SYSTEM VALUE
         VALUES (current_setting('mis.conflict_number')::bigint, $1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (collection, record_id, set_aside_hash) DO NOTHING`,
        [conflict.collection, conflict.recordId, conflict.stationId, conflict.rule, JSON.stringify(conflict.kept), JSON.stringify(conflict.setAside), documentHash(conflict.setAside), detectedAt],
      ),
    ]);
  }

  /**
   * Transactions that wrote entries of one station take turns from here to their commit:
   * under READ COMMITTED each statement after the wait sees what the previous one
   * committed, so two pushes of neighbouring entries cannot each miss the other.
   */
  async lockAuditChain(stationId: string): Promise<void> {
    this.assertOpen();
    await this.session.query(prepared('SELECT pg_advisory_xact_lock($1, $2)', [lockClass.auditChain, recordLockKey('audit-chain', stationId)]));
  }

  async auditEntries(stationId: string, sequences: number[]): Promise<StoredRecord[]> {
    this.assertOpen();
    const found = await this.session.query<RecordRow>(
      prepared(
        `SELECT ${recordColumns} FROM records
         WHERE collection = 'audit' AND station_id = $1 AND ${auditSequence} = ANY($2::bigint[]) ORDER BY ${auditSequence}, id`,
        [stationId, sequences],
      ),
    );
    return found.rows.map(toStoredRecord);
  }

  async auditSequenceBefore(stationId: string, sequence: number): Promise<number> {
    this.assertOpen();
    const found = await this.session.query<{ last: string }>(
      prepared(`SELECT coalesce(max(${auditSequence}), 0) AS last FROM records WHERE collection = 'audit' AND station_id = $1 AND ${auditSequence} < $2`, [stationId, sequence]),
    );
    return Number(found.rows[0]?.last ?? 0);
  }

  async reportAuditChainBreak(report: Omit<AuditChainReport, 'resolvedAt'>): Promise<boolean> {
    this.assertOpen();
    const inserted = await this.session.query(
      prepared(
        `INSERT INTO audit_chain_reports (station_id, sequence, kind, entry_id, detail, detected_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (station_id, sequence, kind) DO NOTHING`,
        [report.stationId, report.sequence, report.kind, report.entryId, report.detail, report.detectedAt],
      ),
      { writes: true },
    );
    return inserted.rowCount === 1;
  }

  async resolveAuditChainGap(stationId: string, sequence: number, resolvedAt: number): Promise<boolean> {
    this.assertOpen();
    const updated = await this.session.query(
      prepared("UPDATE audit_chain_reports SET resolved_at = $1 WHERE station_id = $2 AND sequence = $3 AND kind = 'gap' AND resolved_at IS NULL", [resolvedAt, stationId, sequence]),
      { writes: true },
    );
    return updated.rowCount === 1;
  }

  /** A numbering batch and the statements that use its numbers, sent together (and the COMMIT, when `commit`). */
  private async numbering(statements: Statement[], options: { commit?: boolean } = {}): Promise<(QueryResult | QueryResult[])[]> {
    try {
      return await this.session.send(statements, { writes: true, commit: options.commit ?? false });
    } catch (error) {
      // Which statement failed is not told apart: the connection goes either way.
      this.numberingLockInDoubt = true;
      throw error;
    }
  }

  /** A call after the transaction ended would run outside it, on a connection another caller may have. */
  private assertOpen(): void {
    if (this.finished) throw new PostgresRepositoryError('This transaction has already ended: use the store only inside the work it was given to.');
  }
}

class PostgresRepository implements SyncRepository {
  readonly kind = 'postgres';
  readonly fleet: FleetStore;

  constructor(
    private readonly pool: pg.Pool,
    private readonly feed: ChangeFeed,
    private readonly wakeUps: WakeUps,
    private readonly listeners: Set<ChangeListener>,
  ) {
    this.fleet = new PostgresFleetStore(pool);
  }

  async migrate(): Promise<number[]> {
    const versions = await this.inTransaction(async (session) => {
      const run = async (statement: Statement): Promise<QueryResult> => {
        // Lifted above the request limits (see waitLimits.migrationAnswerMs); pg reads
        // query_timeout from a query's config, which its types do not declare.
        const config: QueryConfig & { query_timeout: number } = {
          ...(typeof statement === 'string' ? { text: statement } : statement),
          query_timeout: waitLimits.migrationAnswerMs,
        };
        return batchResults((await session.send([config], { writes: true }))[0]).at(-1)!;
      };
      await run('SET LOCAL statement_timeout = 0');
      // Nodes starting together take turns: the second finds the migrations applied.
      await run({ text: 'SELECT pg_advisory_xact_lock($1, 0)', values: [lockClass.migrations] });
      await run(migrationsTable.postgres);
      const applied = (await run('SELECT version FROM schema_migrations')).rows as { version: number }[];
      const pending = pendingMigrations(applied.map((row) => row.version));
      for (const migration of pending) {
        await run(migration.postgres);
        await run({ text: 'INSERT INTO schema_migrations (version) VALUES ($1)', values: [migration.version] });
      }
      return pending.map((migration) => migration.version);
    });
    await this.readyConnections();
    return versions;
  }

  /**
   * Readies every pooled connection, once the schema is there, for the statements of a
   * push: prepares those of a write, loads PL/pgSQL (the write's limit check), and has the
   * record reads and an empty write planned, in a transaction rolled back having written
   * nothing. Otherwise a new server process pays for all of it (some 15 ms a connection)
   * on its first requests, just when stations that reconnect to it push what they held
   * back. A connection that fails here is closed, to be replaced and readied by its first
   * write instead.
   */
  private async readyConnections(): Promise<void> {
    // All at once, so that each is a different connection; one not had in time is skipped.
    const connecting = await Promise.allSettled(Array.from({ length: this.pool.totalCount }, () => this.pool.connect()));
    const clients = connecting.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    await Promise.all(
      clients.map(async (client) => {
        const session = new TransactionSession(client, transactionSettings);
        let ready = false;
        try {
          await session.send([
            prepared(recordStatements.read, ['officers', []]),
            prepared(recordStatements.lock, [lockClass.record, []]),
            prepared(recordStatements.readLocked, ['registrations', []]),
          ]);
          const statements = writePreparedOn.has(client) ? [] : writeStatementsToPrepare();
          await session.send([[...statements, 'DO $$ BEGIN END $$', `EXECUTE ${writeStatements.rows.name} (${base64Literal('[]')}, 0)`].join(';\n')], { writes: true });
          writePreparedOn.add(client);
          await client.query('ROLLBACK');
          ready = true;
        } catch {
          // Only time is lost: the connection goes, and its replacement readies itself.
        } finally {
          client.release(!ready);
        }
      }),
    );
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async transaction<T>(work: (tx: RepositoryTransaction) => Promise<T>): Promise<T> {
    const opened: { tx?: PostgresTransaction } = {};
    try {
      return await this.inTransaction(
        async (session) => {
          const tx = new PostgresTransaction(session);
          opened.tx = tx;
          try {
            return await work(tx);
          } finally {
            tx.finish();
          }
        },
        () => opened.tx?.numberingLockInDoubt ?? false,
        transactionSettings,
      );
    } finally {
      // Committed or rolled back, its numbers are no longer in flight: the horizon may have
      // moved, here and for every other node.
      if (opened.tx?.drewSequences) {
        this.feed.wake();
        this.wakeUps.send();
      }
    }
  }

  async pull(collection: SyncedCollection, scope: PullScope, after: number, limit: number): Promise<{ records: StoredRecord[]; checkpoint: number }> {
    const records = (await this.pullRows<RecordRow>(recordColumns, collection, scope, after, limit)).map(toStoredRecord);
    return { records, checkpoint: records.at(-1)?.sequence ?? after };
  }

  async pullTexts(collection: SyncedCollection, scope: PullScope, after: number, limit: number): Promise<{ documents: string[]; checkpoint: number }> {
    const found = await this.pullRows<{ sequence: string; document: string }>('sequence, document::text AS document', collection, scope, after, limit);
    return { documents: found.map((row) => row.document), checkpoint: found.length > 0 ? Number(found.at(-1)!.sequence) : after };
  }

  private async pullRows<Row extends QueryResultRow>(columns: string, collection: SyncedCollection, scope: PullScope, after: number, limit: number): Promise<Row[]> {
    // Two statements: the rows are read in a snapshot taken after the horizon was.
    const { horizon } = await readHorizon(this.pool, 'records');
    if (horizon <= after) return [];
    return scope.kind === 'station'
      ? rows<Row>(this.pool, `SELECT ${columns} FROM records WHERE collection = $1 AND station_id = $2 AND sequence > $3 AND sequence <= $4 ORDER BY sequence LIMIT $5`, [
          collection,
          scope.stationId,
          after,
          horizon,
          limit,
        ])
      : rows<Row>(this.pool, `SELECT ${columns} FROM records WHERE collection = $1 AND sequence > $2 AND sequence <= $3 ORDER BY sequence LIMIT $4`, [collection, after, horizon, limit]);
  }

  async lastSequence(): Promise<number> {
    return (await readHorizon(this.pool, 'records')).horizon;
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
    const after = filter.after ?? 0;
    const { horizon } = await readHorizon(this.pool, 'conflicts');
    if (horizon <= after) return [];
    const found = await rows<ConflictRow>(
      this.pool,
      // LIMIT NULL is PostgreSQL's "no limit".
      `SELECT number, collection, record_id, station_id, rule, kept, set_aside, detected_at FROM conflicts
       WHERE ($1::text IS NULL OR station_id = $1) AND number > $2 AND number <= $3 ORDER BY number LIMIT $4`,
      [filter.stationId ?? null, after, horizon, filter.limit ?? null],
    );
    return found.map(toStoredConflict);
  }

  async nextAuditStation(after: string | null): Promise<string | null> {
    const [row] = await rows<{ station: string | null }>(this.pool, "SELECT min(station_id) AS station FROM records WHERE collection = 'audit' AND station_id > $1", [after ?? '']);
    return row?.station ?? null;
  }

  async auditTrailPage(stationId: string, after: { sequence: number; id: string } | null, limit: number): Promise<StoredAuditEntry[]> {
    const columns = `SELECT station_id, id, ${auditSequence} AS sequence, document FROM records`;
    const found = after
      ? await rows<AuditRow>(
          this.pool,
          `${columns} WHERE collection = 'audit' AND station_id = $1 AND (${auditSequence}, id) > ($2::bigint, $3::text) ORDER BY ${auditSequence}, id LIMIT $4`,
          [stationId, after.sequence, after.id, limit],
        )
      : await rows<AuditRow>(this.pool, `${columns} WHERE collection = 'audit' AND station_id = $1 ORDER BY ${auditSequence}, id LIMIT $2`, [stationId, limit]);
    // jsonb is always whole JSON: a document here is never unreadable text.
    return found.map((row) => ({ stationId: row.station_id, id: row.id, sequence: row.sequence === null ? null : Number(row.sequence), document: row.document }));
  }

  async auditChainReports(filter: Parameters<SyncRepository['auditChainReports']>[0]): Promise<AuditChainReport[]> {
    const found = await rows<AuditReportRow>(
      this.pool,
      // LIMIT NULL is PostgreSQL's "no limit".
      `SELECT station_id, sequence, kind, entry_id, detail, detected_at, resolved_at FROM audit_chain_reports
       WHERE ($1::text IS NULL OR station_id = $1) AND (NOT $2::boolean OR resolved_at IS NULL)
         AND ($3::text IS NULL OR (station_id, sequence, kind) > ($3::text, $4::bigint, $5::text))
       ORDER BY station_id, sequence, kind LIMIT $6`,
      [filter.stationId ?? null, filter.unresolvedOnly ?? false, filter.after?.stationId ?? null, filter.after?.sequence ?? null, filter.after?.kind ?? null, filter.limit ?? null],
    );
    return found.map((row) => ({
      stationId: row.station_id,
      sequence: Number(row.sequence),
      kind: row.kind,
      entryId: row.entry_id,
      detail: row.detail,
      detectedAt: Number(row.detected_at),
      resolvedAt: row.resolved_at === null ? null : Number(row.resolved_at),
    }));
  }

  async retentionCandidates(collection: RetainedCollection, before: number, after: { at: number; id: string } | null, limit: number): Promise<StoredRecord[]> {
    const date = retentionDate[collection];
    if (!date) throw new PostgresRepositoryError(`${collection} is not a collection whose records are purged.`);
    // The collection as a literal: a partial index serves only a query that names its rows.
    const from = `SELECT ${recordColumns} FROM records WHERE collection = '${collection}' AND ${date} < $1`;
    const found = after
      ? await rows<RecordRow>(this.pool, `${from} AND (${date}, id) > ($2::bigint, $3::text) ORDER BY ${date}, id LIMIT $4`, [before, after.at, after.id, limit])
      : await rows<RecordRow>(this.pool, `${from} ORDER BY ${date}, id LIMIT $2`, [before, limit]);
    return found.map(toStoredRecord);
  }

  async crossingsOfDocuments(documents: { documentNumber: string; issuingState: string }[]): Promise<StoredRecord[]> {
    if (documents.length === 0) return [];
    const found = await rows<RecordRow>(
      this.pool,
      `SELECT ${recordColumns} FROM records WHERE collection = 'crossings'
         AND (document->'document'->>'documentNumber', document->'document'->>'issuingState') IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [documents.map((document) => document.documentNumber), documents.map((document) => document.issuingState)],
    );
    return found.map(toStoredRecord);
  }

  async biometricsOf(recordIds: string[]): Promise<StoredRecord[]> {
    if (recordIds.length === 0) return [];
    const found = await rows<RecordRow>(this.pool, `SELECT ${recordColumns} FROM records WHERE collection = 'biometrics' AND (document->>'recordId') = ANY($1::text[])`, [recordIds]);
    return found.map(toStoredRecord);
  }

  async records(collection: SyncedCollection, ids: string[]): Promise<Map<string, StoredRecord>> {
    if (ids.length === 0) return new Map();
    const found = await rows<RecordRow>(this.pool, `SELECT ${recordColumns} FROM records WHERE collection = $1 AND id = ANY($2::text[])`, [collection, ids]);
    return new Map(found.map((row) => [row.id, toStoredRecord(row)]));
  }

  /**
   * One statement per collection removes the rows still at their sequence (one a push
   * holds is waited for, and then left alone if the push wrote it), their history and
   * conflicts; one more adds the counts to retention_purges. Nothing is numbered, so no
   * change feed needs waking.
   */
  async purge(run: RetentionRun, targets: PurgeTarget[]): Promise<Record<RetainedCollection, number>> {
    const collections = Object.keys(run.cutoffs) as RetainedCollection[];
    for (const target of targets) {
      if (!collections.includes(target.collection)) throw new PostgresRepositoryError(`${target.collection} is not a collection of retention run ${run.runId}.`);
    }
    return this.inTransaction(async (session) => {
      const purged: Record<RetainedCollection, number> = { registrations: 0, crossings: 0, biometrics: 0 };
      const highest: Record<RetainedCollection, number> = { registrations: 0, crossings: 0, biometrics: 0 };
      for (const collection of collections) {
        const of = targets.filter((target) => target.collection === collection);
        if (of.length === 0) continue;
        const [removed] = (
          await session.query<{ purged: string; highest: string }>(
            prepared(
              `WITH gone AS (
                 DELETE FROM records USING unnest($2::text[], $3::bigint[]) AS purged(id, sequence)
                 WHERE records.collection = $1 AND records.id = purged.id AND records.sequence = purged.sequence RETURNING records.id, records.sequence
               ), history AS (
                 DELETE FROM record_history WHERE collection = $1 AND id IN (SELECT id FROM gone)
               ), conflicts AS (
                 DELETE FROM conflicts WHERE collection = $1 AND record_id IN (SELECT id FROM gone)
               )
               SELECT count(*) AS purged, coalesce(max(sequence), 0) AS highest FROM gone`,
              [collection, of.map((target) => target.id), of.map((target) => target.sequence)],
            ),
            { writes: true },
          )
        ).rows;
        purged[collection] = Number(removed?.purged ?? 0);
        highest[collection] = Number(removed?.highest ?? 0);
      }
      await session.query(
        prepared(
          `INSERT INTO retention_purges (run_id, collection, at, cutoff, purged, highest_sequence)
           SELECT $1, collection, $2, cutoff, purged, highest FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::bigint[]) AS p(collection, cutoff, purged, highest)
           ON CONFLICT (run_id, collection) DO UPDATE SET purged = retention_purges.purged + excluded.purged,
             highest_sequence = greatest(retention_purges.highest_sequence, excluded.highest_sequence)`,
          [
            run.runId,
            run.at,
            collections,
            collections.map((collection) => run.cutoffs[collection]),
            collections.map((collection) => purged[collection]),
            collections.map((collection) => highest[collection]),
          ],
        ),
        { writes: true },
      );
      return purged;
    });
  }

  async retentionPurges(filter: Parameters<SyncRepository['retentionPurges']>[0]): Promise<RetentionPurge[]> {
    const found = await rows<{ run_id: string; collection: RetainedCollection; at: string; cutoff: string; purged: string }>(
      this.pool,
      // LIMIT NULL is PostgreSQL's "no limit".
      `SELECT run_id, collection, at, cutoff, purged FROM retention_purges
       WHERE ($1::bigint IS NULL OR (at, run_id, collection) > ($1::bigint, $2::text, $3::text))
       ORDER BY at, run_id, collection LIMIT $4`,
      [filter.after?.at ?? null, filter.after?.runId ?? null, filter.after?.collection ?? null, filter.limit ?? null],
    );
    return found.map((row) => ({ runId: row.run_id, collection: row.collection, at: Number(row.at), cutoff: Number(row.cutoff), purged: Number(row.purged) }));
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
    await this.wakeUps.close();
    await this.pool.end();
  }

  /**
   * Runs `body` in a READ COMMITTED transaction (set explicitly: the locking in current()
   * and the numbering rely on each statement taking a fresh snapshot) on a pooled
   * connection; the transaction begins with its first statement (TransactionSession). The
   * connection is closed instead of returned to the pool when it broke, or when
   * `mustClose` says so afterwards.
   */
  private inTransaction<T>(body: (session: TransactionSession) => Promise<T>, mustClose: () => boolean = () => false, settings: string[] = []): Promise<T> {
    // A connection that may still hold the numbering lock is closed too: closing the
    // session releases it.
    return onPooledConnection(
      this.pool,
      async (client, broke) => {
        const session = new TransactionSession(client, settings);
        try {
          const result = await body(session);
          // Work that sent no statement has nothing to commit.
          if (!session.started) return result;
          // The work's last write carried the COMMIT: a failed one failed that write, but the
          // work may have swallowed its error.
          const ended = session.ended;
          if (ended) {
            if (!ended.committed) throw rolledBack();
            return result;
          }
          const commit = await client.query('COMMIT');
          if (commit.command !== 'COMMIT') throw rolledBack();
          return result;
        } catch (error) {
          // A committed transaction has nothing to roll back. One whose COMMIT went out and
          // failed may have ended or not (skipped in its batch): ROLLBACK is harmless either way.
          if (session.started && !session.ended?.committed) await client.query('ROLLBACK').catch(broke);
          throw error;
        }
      },
      mustClose,
    );
  }
}

interface AuditRow {
  station_id: string;
  id: string;
  sequence: string | null;
  document: WireDocument;
}

interface AuditReportRow {
  station_id: string;
  sequence: string;
  kind: AuditChainReport['kind'];
  entry_id: string;
  detail: string;
  detected_at: string;
  resolved_at: string | null;
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
 * Wakes every node's change feed (this node's too, through LISTEN) after a transaction
 * that drew sequence numbers ended. The NOTIFY runs in a transaction of its own, after the
 * writer's commit and without waiting for the disk: a lost one only delays a feed (which
 * also looks on its own), so it needs no flush, and its commit holds PostgreSQL's global
 * notify lock for no longer than the NOTIFY itself. Requests made while one is being sent
 * are answered by one more, 25 ms later.
 *
 * It goes on the change feed's own connection, not a pooled one: requests then never wait
 * for a wake-up's connection, nor a wake-up for theirs. While that connection is being
 * opened again, wake-ups are not sent, as when one is lost.
 */
class WakeUps {
  private wanted = false;
  private sending: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly feed: ChangeFeed) {}

  send(): void {
    if (this.closed) return;
    this.wanted = true;
    this.sending ??= this.sendWhileWanted();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.sending;
  }

  private async sendWhileWanted(): Promise<void> {
    while (this.wanted && !this.closed) {
      this.wanted = false;
      try {
        await this.feed.connection?.query(`BEGIN; SET LOCAL synchronous_commit = off; NOTIFY ${changeChannel}; COMMIT`);
      } catch {
        // Not sent (the database is restarting, say): the feeds look on their own anyway.
      }
      // Wake-ups asked for meanwhile wait a moment, to go as one.
      if (this.wanted && !this.closed) await new Promise((resolve) => setTimeout(resolve, wakeUpSpacing));
    }
    this.sending = null;
  }
}

/**
 * The change side: one dedicated connection that LISTENs for wake-ups, reads what
 * became pullable, and sends this node's wake-ups (WakeUps). Each look reads the horizon, then the newest sequence per collection
 * and station between the previous horizon and this one, and delivers those changes
 * (see the top of this file). It looks when woken (a NOTIFY from any node, or this node's
 * own transaction ending), at most every 20 ms, and on its own every 50 ms while committed
 * rows wait above the horizon, every second otherwise. When the connection drops
 * (PostgreSQL restarted, network cut) it is opened again with a growing delay, and the
 * first look on the new one delivers everything that became pullable meanwhile.
 */
class ChangeFeed {
  private client: pg.Client | null = null;
  /** The connection being opened, awaited by close() so that none is left behind. */
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failedAttempts = 0;
  private closed = false;
  /** Every change up to this sequence was delivered or came before this feed started; null before the first look. */
  private delivered: number | null = null;
  /** Whether the records table exists (before migrate() it does not, and there is nothing to look at). */
  private schemaReady = false;
  /** The look under way, awaited by close(), so that nothing is delivered once it returned. */
  private looking: Promise<void> | null = null;
  /** A wake-up came during a look: look again after it. */
  private lookAgain = false;
  private lastLook = 0;
  private lookTimer: NodeJS.Timeout | null = null;
  private lookDue = 0;

  constructor(
    private readonly url: string,
    /** The limits on every wait (boundedWaits()): a connection that opens or answers too slowly is given up, and opened again. */
    private readonly waits: pg.ClientConfig,
    private readonly deliver: (change: Change) => void,
  ) {}

  /** Opens the first connection; fails when the database cannot be reached. */
  start(): Promise<void> {
    return this.connect();
  }

  /** The open connection, for this node's wake-ups (WakeUps); null while it is being opened again. */
  get connection(): pg.Client | null {
    return this.client;
  }

  /** Something may have become pullable: look soon. */
  wake(): void {
    if (this.closed) return;
    if (this.looking) {
      this.lookAgain = true;
      return;
    }
    this.lookIn(Math.max(0, this.lastLook + feedTiming.spacing - Date.now()));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.lookTimer) clearTimeout(this.lookTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await client?.end();
    // A look under way fails with the connection, and does nothing more.
    await this.looking;
  }

  /** Schedules a look in `delay` ms, unless one is due sooner. */
  private lookIn(delay: number): void {
    const due = Date.now() + delay;
    if (this.lookTimer) {
      if (this.lookDue <= due) return;
      clearTimeout(this.lookTimer);
    }
    this.lookDue = due;
    this.lookTimer = setTimeout(() => {
      this.lookTimer = null;
      this.look();
    }, delay);
    // The looks on its own keep no process alive: close() is what ends a feed.
    this.lookTimer.unref();
  }

  private look(): void {
    const client = this.client;
    // Without a connection, the next one looks as it opens.
    if (this.closed || !client) return;
    if (this.looking) {
      this.lookAgain = true;
      return;
    }
    this.lastLook = Date.now();
    this.looking = this.catchUp(client).then(
      (waiting) => this.looked(waiting ? feedTiming.waiting : feedTiming.idle),
      () => {
        // A failed look is tried again on a new connection: the connection dropped, or it
        // went silent (query_timeout), and then every look behind it would wait in its queue.
        this.lost(client);
        this.looked(feedTiming.waiting);
      },
    );
  }

  private looked(next: number): void {
    this.looking = null;
    if (this.closed) return;
    if (this.lookAgain) {
      this.lookAgain = false;
      this.wake();
    }
    this.lookIn(next);
  }

  private connect(): Promise<void> {
    const attempt = this.openConnection().finally(() => {
      this.connecting = null;
    });
    this.connecting = attempt;
    return attempt;
  }

  private async openConnection(): Promise<void> {
    // Pipelining: a look's two statements go out together (catchUp), and wake-ups with them.
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, pipeline: true, ...this.waits });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => this.received(message));
    let waiting: boolean;
    try {
      await client.connect();
      await client.query(`LISTEN ${changeChannel}`);
      // A look of its own before the feed counts as started: a first look notes where the
      // store stands, a look after a reconnection delivers what was missed meanwhile.
      waiting = await this.catchUp(client);
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
    this.lookIn(waiting ? feedTiming.waiting : feedTiming.idle);
  }

  /**
   * Delivers the newest change of every collection and station that became pullable
   * since the last look (on the first look, only notes where the store stands). Returns
   * whether committed rows wait above the horizon.
   */
  private async catchUp(client: pg.Client): Promise<boolean> {
    if (!this.schemaReady) {
      const [table] = await rows<{ exists: boolean }>(client, "SELECT to_regclass('records') IS NOT NULL AS exists");
      if (!table?.exists) {
        // No schema yet, so no change yet: everything from the first sequence on is news.
        this.delivered = 0;
        return false;
      }
      this.schemaReady = true;
    }
    const delivered = this.delivered;
    if (delivered === null) {
      const { horizon, last } = await readHorizon(client, 'records');
      this.delivered = horizon;
      return horizon < last;
    }
    // One round trip: the horizon's statement leaves the horizon in a setting of the
    // session, where the next reads it; a later statement, its snapshot holds every row at
    // or below the horizon.
    const [looked, changed] = await settleBoth(
      rows<{ horizon: string; last: string }>(client, `SELECT horizon, last, set_config('mis.feed_horizon', horizon::text, false) FROM (${horizonSql('records')}) AS look`),
      rows<{ collection: SyncedCollection; station_id: string | null; sequence: string }>(
        client,
        `SELECT collection, station_id, max(sequence) AS sequence FROM records WHERE sequence > $1 AND sequence <= current_setting('mis.feed_horizon')::bigint
         GROUP BY collection, station_id ORDER BY max(sequence)`,
        [delivered],
      ),
    );
    const horizon = Number(looked[0]?.horizon ?? 0);
    const last = Number(looked[0]?.last ?? 0);
    // Another look may have delivered meanwhile (a reconnection's, on a new connection).
    if (horizon > delivered && this.delivered === delivered) {
      this.delivered = horizon;
      for (const row of changed) this.deliver({ collection: row.collection, stationId: row.station_id, sequence: Number(row.sequence) });
    }
    return horizon < last;
  }

  private received(message: Notification): void {
    if (message.channel === changeChannel) this.wake();
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
