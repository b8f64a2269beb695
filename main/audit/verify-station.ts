import type Database from 'better-sqlite3-multiple-ciphers';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type AuditChainEntry, type AuditChainVerdict, AuditChainWalk, auditEntrySchema, readAuditChainEntry, type UnreadableAuditEntry } from '../../domain/records';
import { fileKeyVault } from '../store/database-key';
import { StoreError } from '../store/errors';
import { fromOrderKey, quoteIdentifier, tableLayoutFor } from '../store/sql/table-layout';
import { stationStoreFiles } from '../store/station-files';
import { openDatabase } from '../store/worker/open-database';
import { sha256Hex } from './audit-trail';

/** The Electron app's database key, sealed by the operating system (main/electron/main.ts). */
const SEALED_KEY_FILE = 'store.key.sealed';

/** SQLite's answers for a page it cannot read back: the cipher's check failed, or the file is cut short. */
const DAMAGED = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_IOERR_SHORT_READ']);

async function stationKey(dataDir: string, databaseFile: string): Promise<string> {
  const { keyFile } = stationStoreFiles(dataDir);
  const key = await fileKeyVault(keyFile).read();
  if (key) return key;
  const sealed = join(dataDir, SEALED_KEY_FILE);
  if (existsSync(sealed)) {
    throw new StoreError(
      'STORE_KEY_MISSING',
      `The key of ${databaseFile} is sealed by the operating system for the MIS Station desktop app (${sealed}): only the app itself, ` +
        'running as its own user on this computer, can unseal it, so this command cannot open the database. ' +
        "Verify the station's trail on the server once it has synced (npm run audit:verify -- --server).",
    );
  }
  throw new StoreError('STORE_KEY_MISSING', `The station database ${databaseFile} has no key file (${keyFile} is missing). Restore the key from the station's backup; nothing was changed.`);
}

/** The audit collection's table at the app's schema version; null when the station has recorded nothing. */
function auditTable(db: Database.Database, databaseFile: string): string | null {
  const { docsTable } = tableLayoutFor('audit', auditEntrySchema);
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'docs:audit\\_\\_v%' ESCAPE '\\'").pluck().all() as string[];
  if (tables.includes(docsTable)) return docsTable;
  if (tables.length === 0) return null;
  throw new StoreError(
    'STORE_FILE_UNUSABLE',
    `${databaseFile} keeps its audit trail at another schema version (${tables.join(', ')}; this version reads ${docsTable}). Open it once with the station app of this version, which brings it up to date, then verify again.`,
  );
}

interface AuditRow {
  /** The entry's id as the table keeps it: an order key (main/store/sql/table-layout.ts). */
  id: Buffer;
  /** The station id as the index keeps it: an order key. */
  station: Buffer;
  sequence: number | null;
  deleted: number;
  data: string;
}

function chainItem(row: AuditRow, stationId: string): AuditChainEntry | UnreadableAuditEntry {
  let entry: AuditChainEntry | null = null;
  try {
    entry = readAuditChainEntry(JSON.parse(row.data));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  return entry ?? { unreadable: true, id: fromOrderKey(row.id), stationId, sequence: row.sequence };
}

/**
 * Walks every station's audit chain in a station's database (normally only its own), as
 * the file holds it, and returns a verdict per station. The file is opened read-only with
 * the headless shell's key file: nothing is written, and the station may keep running.
 * The rows are read one at a time, whatever the trail's length.
 *
 * An entry marked deleted counts as missing (the app never deletes one), so it shows as
 * a gap. A page the cipher cannot read back (the file was changed outside SQLite) is a
 * damaged file, reported as such.
 */
export async function verifyStationAuditTrails(dataDir: string, databaseKey?: string): Promise<{ databaseFile: string; verdicts: AuditChainVerdict[] }> {
  const { databaseFile } = stationStoreFiles(dataDir);
  if (!existsSync(databaseFile)) {
    throw new StoreError('STORE_FILE_UNUSABLE', `There is no station database at ${databaseFile}: is ${dataDir} a station's data folder?`);
  }
  // The desktop app passes the key it unsealed (its diagnostics bundle); the command reads the key file.
  const db = openDatabase(databaseFile, databaseKey ?? (await stationKey(dataDir, databaseFile)), { readOnly: true });
  try {
    const table = auditTable(db, databaseFile);
    if (!table) return { databaseFile, verdicts: [] };
    const layout = tableLayoutFor('audit', auditEntrySchema);
    const station = layout.fieldSql('stationId')!.orderedSql!;
    const sequence = layout.fieldSql('sequence')!.orderedSql!;
    const rows = db
      .prepare(`SELECT id_order AS id, ${station} AS station, ${sequence} AS sequence, deleted, data FROM ${quoteIdentifier(table)} ORDER BY ${station}, ${sequence}, id_order`)
      .iterate() as IterableIterator<AuditRow>;
    const verdicts: AuditChainVerdict[] = [];
    let walk = null as AuditChainWalk | null;
    let broken = false;
    for (const row of rows) {
      const stationId = fromOrderKey(row.station);
      if (walk?.stationId !== stationId) {
        if (walk) verdicts.push(walk.verdict);
        walk = new AuditChainWalk(stationId, sha256Hex);
        broken = false;
      }
      // After its first break, the rest of a station's trail is only read past.
      if (!broken && !row.deleted) broken = walk.add(chainItem(row, stationId)) !== null;
    }
    if (walk) verdicts.push(walk.verdict);
    return { databaseFile, verdicts };
  } catch (error) {
    if (DAMAGED.has((error as { code?: string }).code ?? '')) {
      throw new StoreError(
        'STORE_FILE_UNUSABLE',
        `The station database ${databaseFile} is damaged: part of it cannot be read back (${(error as Error).message}); it was changed outside the application, or the disk failed. Restore it from a backup (npm run store -- restore <file>).`,
      );
    }
    throw error;
  } finally {
    db.close();
  }
}
