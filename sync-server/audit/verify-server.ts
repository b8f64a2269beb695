import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { type AuditChainEntry, type AuditChainVerdict, AuditChainWalk, readAuditChainEntry, type UnreadableAuditEntry } from '../../domain/records';
import { openPostgresRepository } from '../store/postgres-repository';
import type { AuditChainReport, StoredAuditEntry, SyncRepository } from '../store/repository';
import { openSqliteRepository } from '../store/sqlite-repository';
import { sha256Hex } from './chain-check';

export type ServerAuditErrorCode = 'SERVER_STORE_MISSING' | 'SERVER_STORE_UNUSABLE' | 'SERVER_STORE_TOO_OLD' | 'SERVER_DATABASE_UNREACHABLE';

export class ServerAuditError extends Error {
  constructor(
    readonly code: ServerAuditErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ServerAuditError';
  }
}

/** The server's store to verify: its PostgreSQL database, or its SQLite file. */
export type ServerStoreLocation = { databaseUrl: string } | { file: string };

/** The migration that made the audit trail's index and the report table (store/migrations.ts). */
const AUDIT_MIGRATION = 2;

const tooOld = (where: string): ServerAuditError =>
  new ServerAuditError('SERVER_STORE_TOO_OLD', `The sync server database ${where} predates the audit chain checks: start the sync server of this version once (it brings the database up to date), then verify again.`);

/** host:port/database of a URL, never its user or password. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch (error) {
    throw new ServerAuditError('SERVER_DATABASE_UNREACHABLE', 'DATABASE_URL is not a database URL (postgres://user:password@host:port/database).', { cause: error });
  }
}

/**
 * Looks before the store is opened, with a plain connection that writes nothing: the file
 * or database must be there, be the sync server's, and have the audit tables. Opening a
 * store of the wrong kind would otherwise create its tables there.
 */
async function checkBeforeOpening(location: ServerStoreLocation): Promise<void> {
  if ('file' in location) {
    const { file } = location;
    if (!existsSync(file)) {
      throw new ServerAuditError(
        'SERVER_STORE_MISSING',
        `There is no sync server database at ${file}. Give its path with --file, set MIS_SERVER_DATA to the server's data folder (which holds sync.sqlite), or set DATABASE_URL for PostgreSQL.`,
      );
    }
    let versions: number[];
    const probe = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const tracked = probe.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
      versions = tracked ? (probe.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]) : [];
    } catch (error) {
      throw new ServerAuditError('SERVER_STORE_UNUSABLE', `${file} cannot be read as a sync server database: ${(error as Error).message}`, { cause: error });
    } finally {
      probe.close();
    }
    if (versions.length === 0) throw new ServerAuditError('SERVER_STORE_UNUSABLE', `${file} is not a sync server database (it has no schema_migrations table).`);
    if (!versions.includes(AUDIT_MIGRATION)) throw tooOld(file);
    return;
  }
  const where = describeUrl(location.databaseUrl);
  const client = new pg.Client({ connectionString: location.databaseUrl, connectionTimeoutMillis: 10_000 });
  // A connection that breaks later fails the query in flight; this keeps it from ending the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new ServerAuditError('SERVER_DATABASE_UNREACHABLE', `The sync server's PostgreSQL database at ${where} cannot be reached: ${(error as Error).message}`, { cause: error });
  }
  try {
    const { rows } = await client.query<{ versions: number[] | null }>("SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN NULL ELSE (SELECT array_agg(version) FROM schema_migrations) END AS versions");
    const versions = rows[0]?.versions;
    if (!versions) throw new ServerAuditError('SERVER_STORE_UNUSABLE', `The PostgreSQL database at ${where} is not a sync server database (it has no schema_migrations table).`);
    if (!versions.includes(AUDIT_MIGRATION)) throw tooOld(`at ${where}`);
  } finally {
    await client.end();
  }
}

/** Opens the server's store for reading its audit trails, after checking that it is one (see checkBeforeOpening). */
export async function openServerStore(location: ServerStoreLocation): Promise<SyncRepository> {
  await checkBeforeOpening(location);
  try {
    return 'file' in location ? await openSqliteRepository(location.file) : await openPostgresRepository(location.databaseUrl, { poolSize: 2 });
  } catch (error) {
    const where = 'file' in location ? location.file : describeUrl(location.databaseUrl);
    throw new ServerAuditError('SERVER_DATABASE_UNREACHABLE', `The sync server database ${where} cannot be opened: ${(error as Error).message}`, { cause: error });
  }
}

export type ServerAuditFinding =
  /** One station's chain, walked to its end or to its first break. */
  | { kind: 'station'; verdict: AuditChainVerdict }
  /** A break the server found when entries arrived that is still open. */
  | { kind: 'report'; report: AuditChainReport };

function chainItem(stored: StoredAuditEntry): AuditChainEntry | UnreadableAuditEntry {
  const entry = stored.document ? readAuditChainEntry(stored.document) : null;
  return entry ?? { unreadable: true, id: stored.id, stationId: stored.stationId, sequence: stored.sequence };
}

async function verifyStation(repository: SyncRepository, stationId: string, pageSize: number): Promise<AuditChainVerdict> {
  const walk = new AuditChainWalk(stationId, sha256Hex);
  let after: { sequence: number; id: string } | null = null;
  for (;;) {
    const page = await repository.auditTrailPage(stationId, after, pageSize);
    for (const stored of page) {
      if (walk.add(chainItem(stored))) return walk.verdict;
    }
    const last = page.at(-1);
    // A row without a number cannot be read, and the walk stopped at it above.
    if (page.length < pageSize || !last || last.sequence === null) return walk.verdict;
    after = { sequence: last.sequence, id: last.id };
  }
}

/**
 * Walks every station's audit chain on the server, page by page (a trail of millions is
 * never in memory at once), and then lists the chain reports still open. Each station's
 * verdict is yielded as soon as its walk ends.
 *
 * The pages are read one after the other, not in one snapshot: an entry that arrives
 * during the walk, below where the walk has got to, can show as a gap that the next run
 * does not find.
 */
export async function* verifyServerAuditTrails(repository: SyncRepository, options: { pageSize?: number } = {}): AsyncGenerator<ServerAuditFinding> {
  const pageSize = options.pageSize ?? 1_000;
  for (let station = await repository.nextAuditStation(null); station !== null; station = await repository.nextAuditStation(station)) {
    yield { kind: 'station', verdict: await verifyStation(repository, station, pageSize) };
  }
  let after: Pick<AuditChainReport, 'stationId' | 'sequence' | 'kind'> | undefined;
  for (;;) {
    const reports = await repository.auditChainReports({ unresolvedOnly: true, limit: pageSize, ...(after ? { after } : {}) });
    for (const report of reports) yield { kind: 'report', report };
    const last = reports.at(-1);
    if (reports.length < pageSize || !last) return;
    after = { stationId: last.stationId, sequence: last.sequence, kind: last.kind };
  }
}
