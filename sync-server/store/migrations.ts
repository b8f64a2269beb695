/**
 * The server's schema, as an ordered list of numbered migrations written once for each
 * database. A migration, once released, never changes: a change to the schema is a new
 * migration with the next number. Each store's migrate() applies, in one transaction,
 * the migrations its schema_migrations table does not list yet.
 *
 * Types differ where the databases differ: times are milliseconds since the epoch in
 * both (the interface's unit), documents are JSON text in SQLite and jsonb in PostgreSQL.
 */
export interface Migration {
  version: number;
  description: string;
  sqlite: string;
  postgres: string;
}

/** The table that records which migrations were applied; created before any migration runs. */
export const migrationsTable = {
  sqlite: 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
  postgres: 'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
} as const;

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'records, their history, conflicts and station credentials',
    sqlite: `
      CREATE TABLE records (
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        station_id TEXT,
        sequence INTEGER NOT NULL UNIQUE,
        received_at INTEGER NOT NULL,
        deleted INTEGER NOT NULL,
        document TEXT NOT NULL,
        written_by TEXT NOT NULL,
        PRIMARY KEY (collection, id)
      );
      CREATE INDEX records_by_station ON records (collection, station_id, sequence);
      CREATE INDEX records_by_collection ON records (collection, sequence);

      CREATE TABLE record_history (
        sequence INTEGER PRIMARY KEY,
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        document_hash TEXT NOT NULL,
        document TEXT NOT NULL,
        written_by TEXT NOT NULL
      );
      CREATE INDEX record_history_by_hash ON record_history (collection, id, document_hash);

      CREATE TABLE conflicts (
        number INTEGER PRIMARY KEY AUTOINCREMENT,
        collection TEXT NOT NULL,
        record_id TEXT NOT NULL,
        station_id TEXT NOT NULL,
        rule TEXT NOT NULL,
        kept TEXT NOT NULL,
        set_aside TEXT NOT NULL,
        set_aside_hash TEXT NOT NULL,
        detected_at INTEGER NOT NULL
      );
      CREATE INDEX conflicts_by_station ON conflicts (station_id, number);
      CREATE UNIQUE INDEX conflicts_once ON conflicts (collection, record_id, set_aside_hash);

      CREATE TABLE station_credentials (
        station_id TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        PRIMARY KEY (station_id, secret_hash)
      );
    `,
    postgres: `
      CREATE TABLE records (
        collection text NOT NULL,
        id text NOT NULL,
        station_id text,
        sequence bigint NOT NULL UNIQUE,
        received_at bigint NOT NULL,
        deleted boolean NOT NULL,
        document jsonb NOT NULL,
        written_by text NOT NULL,
        PRIMARY KEY (collection, id)
      );
      CREATE INDEX records_by_station ON records (collection, station_id, sequence);
      CREATE INDEX records_by_collection ON records (collection, sequence);

      CREATE TABLE record_history (
        sequence bigint PRIMARY KEY,
        collection text NOT NULL,
        id text NOT NULL,
        received_at bigint NOT NULL,
        document_hash text NOT NULL,
        document jsonb NOT NULL,
        written_by text NOT NULL
      );
      CREATE INDEX record_history_by_hash ON record_history (collection, id, document_hash);

      CREATE TABLE conflicts (
        number bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        collection text NOT NULL,
        record_id text NOT NULL,
        station_id text NOT NULL,
        rule text NOT NULL,
        kept jsonb NOT NULL,
        set_aside jsonb NOT NULL,
        set_aside_hash text NOT NULL,
        detected_at bigint NOT NULL
      );
      CREATE INDEX conflicts_by_station ON conflicts (station_id, number);
      CREATE UNIQUE INDEX conflicts_once ON conflicts (collection, record_id, set_aside_hash);

      CREATE TABLE station_credentials (
        station_id text NOT NULL,
        secret_hash text NOT NULL,
        created_at bigint NOT NULL,
        revoked_at bigint,
        PRIMARY KEY (station_id, secret_hash)
      );
    `,
  },
];

/** The migrations not yet applied, oldest first. */
export function pendingMigrations(applied: Iterable<number>): Migration[] {
  const done = new Set(applied);
  return migrations.filter((migration) => !done.has(migration.version));
}
