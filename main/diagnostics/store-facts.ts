import type Database from 'better-sqlite3-multiple-ciphers';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { collectionDefinitions, type CollectionName } from '../../domain/records';
import { stationCollections } from '../../domain/sync';
import { quoteIdentifier, tableLayoutFor } from '../store/sql/table-layout';
import { openDatabase } from '../store/worker/open-database';
import type { KnownPersonalData } from './personal-data';

/**
 * What a diagnostics bundle says about the station database: its integrity, how many
 * records each collection holds and how many wait to be sent. Counts and states only:
 * no record's contents ever leave this file, except into the scrubber's lookup
 * (lookUpPersonalData), which keeps only what the bundle's text already contains.
 */

export interface CollectionCounts {
  collection: CollectionName;
  /** Records, not counting deleted ones. */
  records: number;
  /** The station's own records the server has not confirmed yet (receivedAt 0). */
  pending: number | null;
  /** The server's time of the newest record it confirmed (its receivedAt), ISO 8601. */
  lastConfirmedAt: string | null;
}

export interface StoreFacts {
  sqliteVersion: string;
  cipherVersion: string | null;
  integrity: { check: 'integrity_check' | 'quick_check'; ok: boolean; result: string[]; milliseconds: number };
  collections: CollectionCounts[];
  /** Tables of older schema versions still in the file (a migration not yet run). */
  otherTables: string[];
  bytes: number;
}

const stationOwned = new Set<string>(stationCollections);

/** Opens the station database read-only: nothing is written, and a running station may keep working. */
export function openForDiagnostics(databaseFile: string, key: string): Database.Database {
  return openDatabase(databaseFile, key, { readOnly: true });
}

function tableNames(db: Database.Database): string[] {
  return db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'docs:%'").pluck().all() as string[];
}

function cipherVersion(db: Database.Database): string | null {
  try {
    return db.prepare('SELECT sqlite3mc_version()').pluck().get() as string;
  } catch (error) {
    // Only a build without SQLite3 Multiple Ciphers lacks the function; the bundle says so by null.
    if ((error as { code?: string }).code === 'SQLITE_ERROR') return null;
    throw error;
  }
}

function countsOf(db: Database.Database, name: CollectionName, present: Set<string>): CollectionCounts {
  const layout = tableLayoutFor(name, collectionDefinitions[name].schema as never);
  if (!present.has(layout.docsTable)) return { collection: name, records: 0, pending: stationOwned.has(name) ? 0 : null, lastConfirmedAt: null };
  const table = quoteIdentifier(layout.docsTable);
  const records = db.prepare(`SELECT count(*) FROM ${table} WHERE deleted = 0`).pluck().get() as number;
  if (!stationOwned.has(name)) return { collection: name, records, pending: null, lastConfirmedAt: null };
  const receivedAt = layout.fieldSql('receivedAt')!.sql;
  const pending = db.prepare(`SELECT count(*) FROM ${table} WHERE deleted = 0 AND ${receivedAt} = 0`).pluck().get() as number;
  const newest = db.prepare(`SELECT max(${receivedAt}) FROM ${table}`).pluck().get() as number | null;
  return { collection: name, records, pending, lastConfirmedAt: newest ? new Date(newest).toISOString() : null };
}

/** Integrity (SQLite's full check, or its quick check for a station in use), counts and versions. */
export function storeFacts(db: Database.Database, check: 'integrity_check' | 'quick_check'): StoreFacts {
  const started = performance.now();
  const result = (db.pragma(check) as Record<string, string>[]).map((row) => String(Object.values(row)[0]));
  const milliseconds = Math.round(performance.now() - started);
  const present = new Set(tableNames(db));
  const names = Object.keys(collectionDefinitions) as CollectionName[];
  const collections = names.map((name) => countsOf(db, name, present));
  const current = new Set(names.map((name) => tableLayoutFor(name, collectionDefinitions[name].schema as never).docsTable));
  const pages = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  return {
    sqliteVersion: db.prepare('SELECT sqlite_version()').pluck().get() as string,
    cipherVersion: cipherVersion(db),
    integrity: { check, ok: result.length === 1 && result[0] === 'ok', result: result.slice(0, 20), milliseconds },
    collections,
    otherTables: [...present].filter((table) => !current.has(table)).sort(),
    bytes: pages * pageSize,
  };
}

/** The collections that hold people: travellers, hosts, watchlist entries, officers. */
const PEOPLE_COLLECTIONS = ['registrations', 'crossings', 'alerts', 'officers'];
const NAME_FIELDS = ['surname', 'givenNames', 'hostName', 'name', 'street'];
const DOCUMENT_FIELDS = ['documentNumber', 'visaNumber', 'hostIdNumber'];
const DATE_FIELDS = ['birthDate'];

/**
 * Feeds every stored name, document number and date of birth to `known`, which keeps the
 * ones the bundle's text contains. Reads every schema version's table (the JSON walk is
 * SQLite's json_tree, by field name, so a field that moves inside a record is still
 * found), and yields to the event loop now and then: the desktop app's window keeps
 * answering while a large watchlist is read.
 */
export async function lookUpPersonalData(db: Database.Database, known: KnownPersonalData): Promise<{ values: number }> {
  const fields = [...NAME_FIELDS, ...DOCUMENT_FIELDS, ...DATE_FIELDS];
  const tables = tableNames(db).filter((table) => PEOPLE_COLLECTIONS.some((name) => table.startsWith(`docs:${name}__v`)));
  let values = 0;
  for (const table of tables) {
    const rows = db
      .prepare(`SELECT j.key AS field, j.value AS value FROM ${quoteIdentifier(table)} AS d, json_tree(d.data) AS j WHERE j.type = 'text' AND j.key IN (${fields.map(() => '?').join(', ')})`)
      .iterate(...fields) as IterableIterator<{ field: string; value: string }>;
    for (const { field, value } of rows) {
      if (DOCUMENT_FIELDS.includes(field)) known.addDocumentNumber(value);
      else if (DATE_FIELDS.includes(field)) known.addBirthDate(value);
      else known.addName(value);
      if (++values % 5_000 === 0) await nextTurn();
    }
  }
  return { values };
}
