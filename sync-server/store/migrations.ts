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
  {
    version: 2,
    description: "reports of breaks in stations' audit chains, and audit entries found by station and number",
    // The index holds audit entries only, by the number in their document: the chain check
    // of a push and the verifier read entries by (station, number). SQLite's expression
    // reads nothing from a document that is no longer JSON (a hand-edited file), so that a
    // damaged row is named by the verifier rather than failing every read of the trail.
    // The repositories' queries repeat each expression exactly, or the index is not used.
    sqlite: `
      CREATE INDEX records_audit_trail ON records (station_id, (CASE WHEN json_valid(document) THEN json_extract(document, '$.sequence') END), id)
        WHERE collection = 'audit';

      CREATE TABLE audit_chain_reports (
        station_id TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        kind TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        detail TEXT NOT NULL,
        detected_at INTEGER NOT NULL,
        resolved_at INTEGER,
        PRIMARY KEY (station_id, sequence, kind)
      );
      CREATE INDEX audit_chain_reports_open ON audit_chain_reports (station_id, sequence) WHERE resolved_at IS NULL;
    `,
    postgres: `
      CREATE INDEX records_audit_trail ON records (station_id, ((document->>'sequence')::bigint), id)
        WHERE collection = 'audit';

      CREATE TABLE audit_chain_reports (
        station_id text NOT NULL,
        sequence bigint NOT NULL,
        kind text NOT NULL,
        entry_id text NOT NULL,
        detail text NOT NULL,
        detected_at bigint NOT NULL,
        resolved_at bigint,
        PRIMARY KEY (station_id, sequence, kind)
      );
      CREATE INDEX audit_chain_reports_open ON audit_chain_reports (station_id, sequence) WHERE resolved_at IS NULL;
    `,
  },
  {
    version: 3,
    description: 'retention: records found by the date their time runs from, crossings by document, captures by record, and the purges done',
    // Each index holds the rows of one collection only (sync-server/retention reads them):
    // registrations by arrival, crossings by the moment of crossing, captures by their
    // making, to find the candidates of a purge; crossings by travel document, to find an
    // overstayer's; captures by the record they belong to. The repositories' queries
    // repeat each expression and the collection as a literal, or the index is not used.
    //
    // retention_purges: one row per run and collection, counts only (what was purged is
    // gone, and ids would point at nothing). highest_sequence is the highest sequence of
    // the rows a purge removed: numbers are drawn above it, so that a purge of the newest
    // row can never make its number be given out again (a station that pulled it would
    // skip the next write).
    sqlite: `
      CREATE INDEX records_retention_registrations ON records ((CASE WHEN json_valid(document) THEN json_extract(document, '$.arrivalAt') END), id)
        WHERE collection = 'registrations';
      CREATE INDEX records_retention_crossings ON records ((CASE WHEN json_valid(document) THEN json_extract(document, '$.occurredAt') END), id)
        WHERE collection = 'crossings';
      CREATE INDEX records_retention_biometrics ON records ((CASE WHEN json_valid(document) THEN json_extract(document, '$.createdAt') END), id)
        WHERE collection = 'biometrics';
      CREATE INDEX records_crossings_by_document ON records (
        (CASE WHEN json_valid(document) THEN json_extract(document, '$.document.documentNumber') END),
        (CASE WHEN json_valid(document) THEN json_extract(document, '$.document.issuingState') END)
      ) WHERE collection = 'crossings';
      CREATE INDEX records_biometrics_by_record ON records ((CASE WHEN json_valid(document) THEN json_extract(document, '$.recordId') END))
        WHERE collection = 'biometrics';

      CREATE TABLE retention_purges (
        run_id TEXT NOT NULL,
        collection TEXT NOT NULL,
        at INTEGER NOT NULL,
        cutoff INTEGER NOT NULL,
        purged INTEGER NOT NULL,
        highest_sequence INTEGER NOT NULL,
        PRIMARY KEY (run_id, collection)
      );
      CREATE INDEX retention_purges_in_order ON retention_purges (at, run_id, collection);
      CREATE INDEX retention_purges_highest_sequence ON retention_purges (highest_sequence);
    `,
    postgres: `
      CREATE INDEX records_retention_registrations ON records (((document->>'arrivalAt')::bigint), id) WHERE collection = 'registrations';
      CREATE INDEX records_retention_crossings ON records (((document->>'occurredAt')::bigint), id) WHERE collection = 'crossings';
      CREATE INDEX records_retention_biometrics ON records (((document->>'createdAt')::bigint), id) WHERE collection = 'biometrics';
      CREATE INDEX records_crossings_by_document ON records ((document->'document'->>'documentNumber'), (document->'document'->>'issuingState'))
        WHERE collection = 'crossings';
      CREATE INDEX records_biometrics_by_record ON records ((document->>'recordId')) WHERE collection = 'biometrics';

      CREATE TABLE retention_purges (
        run_id text NOT NULL,
        collection text NOT NULL,
        at bigint NOT NULL,
        cutoff bigint NOT NULL,
        purged bigint NOT NULL,
        highest_sequence bigint NOT NULL,
        PRIMARY KEY (run_id, collection)
      );
      CREATE INDEX retention_purges_in_order ON retention_purges (at, run_id, collection);
      CREATE INDEX retention_purges_highest_sequence ON retention_purges (highest_sequence);
    `,
  },
  {
    version: 4,
    description: 'releases for the update feed, their installer files, and the last report of each station',
    // A release is one version for one channel, platform and architecture, with the share of
    // stations it is rolled out to; its files are the installers electron-updater downloads,
    // named uniquely (the name is the address the feed gives). The files themselves are on
    // disk (sync-server/updates/); the database holds their size and SHA-512.
    // station_reports: one row per station, replaced by each report (sync-server/fleet/).
    sqlite: `
      CREATE TABLE releases (
        channel TEXT NOT NULL,
        platform TEXT NOT NULL,
        arch TEXT NOT NULL,
        version TEXT NOT NULL,
        staging_percentage INTEGER NOT NULL,
        released_at INTEGER NOT NULL,
        PRIMARY KEY (channel, platform, arch, version)
      );
      CREATE TABLE release_files (
        name TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        platform TEXT NOT NULL,
        arch TEXT NOT NULL,
        version TEXT NOT NULL,
        sha512 TEXT NOT NULL,
        size INTEGER NOT NULL,
        added_at INTEGER NOT NULL,
        FOREIGN KEY (channel, platform, arch, version) REFERENCES releases (channel, platform, arch, version)
      );
      CREATE INDEX release_files_by_release ON release_files (channel, platform, arch, version, added_at);
      CREATE TABLE station_reports (
        station_id TEXT PRIMARY KEY,
        report TEXT NOT NULL,
        received_at INTEGER NOT NULL
      );
    `,
    postgres: `
      CREATE TABLE releases (
        channel text NOT NULL,
        platform text NOT NULL,
        arch text NOT NULL,
        version text NOT NULL,
        staging_percentage integer NOT NULL,
        released_at bigint NOT NULL,
        PRIMARY KEY (channel, platform, arch, version)
      );
      CREATE TABLE release_files (
        name text PRIMARY KEY,
        channel text NOT NULL,
        platform text NOT NULL,
        arch text NOT NULL,
        version text NOT NULL,
        sha512 text NOT NULL,
        size bigint NOT NULL,
        added_at bigint NOT NULL,
        FOREIGN KEY (channel, platform, arch, version) REFERENCES releases (channel, platform, arch, version)
      );
      CREATE INDEX release_files_by_release ON release_files (channel, platform, arch, version, added_at);
      CREATE TABLE station_reports (
        station_id text PRIMARY KEY,
        report jsonb NOT NULL,
        received_at bigint NOT NULL
      );
    `,
  },
];

/** The migrations not yet applied, oldest first. */
export function pendingMigrations(applied: Iterable<number>): Migration[] {
  const done = new Set(applied);
  return migrations.filter((migration) => !done.has(migration.version));
}
