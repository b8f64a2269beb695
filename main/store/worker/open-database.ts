import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, existsSync, fdatasyncSync, openSync } from 'node:fs';
import { StoreError } from '../errors';
import { idIndexName, orderKeyFromUtf16, quoteIdentifier } from '../sql/table-layout';

const hexKey = /^[0-9a-f]{64}$/;

/** Marks a SQLite file as an MIS Station store ('MISS'). */
const applicationId = 0x4d495353;
/**
 * The layout of the tables this code writes. A file of another layout is refused with a
 * clear message instead of being misread; raise it with every incompatible change.
 */
const storeFormat = 5;

/**
 * Format 3 kept each document's id twice (as text with its own index, and as a UTF-16BE
 * order key) and indexed strings as UTF-16BE. Format 4 keeps the id once, as the table's
 * unique key, and strings as order keys of UTF-8 size (see orderKey). Every documents
 * table is rewritten in one transaction: a crash leaves format 3, whole. The ids' unique
 * index is built with it; the others went with the old table and are built again when
 * their collection next opens.
 */
function migrateFromFormat3(db: Database.Database): void {
  db.function('mis_key_from_utf16', { deterministic: true }, (value: unknown) => (value instanceof Uint8Array ? orderKeyFromUtf16(value) : value));
  db.transaction(() => {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'docs:%'").pluck().all() as string[];
    for (const name of tables) {
      const table = quoteIdentifier(name);
      const rewritten = quoteIdentifier(`${name}:format4`);
      // The indexed columns (f0, f1, ...) hold numbers, booleans, NULL or string keys (blobs).
      const fields = (db.prepare(`SELECT name FROM pragma_table_info(?) WHERE name GLOB 'f[0-9]*' ORDER BY cid`).pluck().all(name) as string[]).map(quoteIdentifier);
      db.exec(`CREATE TABLE ${rewritten} (id_order BLOB NOT NULL, deleted INTEGER NOT NULL, lwt REAL NOT NULL, rev TEXT NOT NULL, data TEXT NOT NULL${fields.map((field) => `, ${field}`).join('')})`);
      db.exec(`INSERT INTO ${rewritten} SELECT mis_key_from_utf16(id_order), deleted, lwt, rev, data${fields.map((field) => `, mis_key_from_utf16(${field})`).join('')} FROM ${table} ORDER BY rowid`);
      db.exec(`DROP TABLE ${table}`);
      db.exec(`ALTER TABLE ${rewritten} RENAME TO ${table}`);
      db.exec(`CREATE UNIQUE INDEX ${quoteIdentifier(idIndexName(name))} ON ${table} (id_order)`);
    }
    db.pragma('user_version = 4');
  }).immediate();
}

/*
 * Format 5 adds a journal table beside each collection's documents (large bulks are
 * acknowledged once they are there, see CollectionStore.bulkInsertNew). A collection
 * creates its journal when it opens, so a format 4 file needs only the new number; the
 * number keeps a version without journals from opening a file whose journal still holds
 * acknowledged documents, which it would not see.
 */

/**
 * The ways a station file can be keyed with SQLite3 Multiple Ciphers, the one new files get
 * first.
 *
 * - `aegis-raw`: the AEGIS-256 cipher, given the key itself (`raw:`). The key is 256 random
 *   bits, not a passphrase, so nothing is gained by stretching it; and AEGIS, authenticated
 *   like ChaCha20-Poly1305 (a page changed on disk is refused), runs on the processor's AES
 *   instructions.
 * - `chacha20-passphrase`: what files made before December 2026 have: the library's default
 *   cipher, ChaCha20-Poly1305, with the key's bytes taken as a passphrase, which the library
 *   stretches with PBKDF2 at every open: 81 ms to open such a file on our build machine,
 *   0.5 ms for a file keyed the new way.
 */
export type Keying = 'aegis-raw' | 'chacha20-passphrase';
const keyings: readonly Keying[] = ['aegis-raw', 'chacha20-passphrase'];

/** Gives the connection the key, as the keying has it; the first read then tells whether it fits. */
export function applyKey(db: Database.Database, key: string, keying: Keying = 'aegis-raw'): void {
  if (keying === 'aegis-raw') {
    db.pragma("cipher='aegis'");
    db.pragma(`key='raw:${key}'`);
  } else {
    db.pragma("cipher='chacha20'");
    db.pragma(`hexkey='${key}'`);
  }
}

/**
 * Opens the file with the key and reads its schema, trying each keying a station file can
 * have (the wrong one fails as a wrong key does, having read one page and written
 * nothing). An empty or new file is opened with the first, which it then keeps. Without a
 * key, the file is opened as it is. Throws SQLite's error when no keying reads it.
 */
function openWithKey(file: string, key: string | null, readOnly: boolean): { db: Database.Database; objects: number } {
  let failure: unknown;
  for (const keying of key === null ? [null] : keyings) {
    const db = new Database(file, { readonly: readOnly, fileMustExist: readOnly });
    try {
      if (key !== null && keying !== null) applyKey(db, key, keying);
      return { db, objects: db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() as number };
    } catch (error) {
      db.close();
      failure = error;
      if ((error as { code?: string }).code !== 'SQLITE_NOTADB') break;
    }
  }
  throw failure;
}

/**
 * Opens (or creates) a station database file, encrypted with a 256-bit key. A wrong or
 * missing key is found by reading before anything is written, so the file is not touched.
 */
/** The page size of a station database made by this version (see openDatabase). */
export const newFilePageSize = 8192;

export function openDatabase(file: string, key: string | null, options: { readOnly?: boolean; acceptOlderFormat?: boolean } = {}): Database.Database {
  if (key !== null && !hexKey.test(key)) throw new StoreError('STORE_KEY_INVALID', 'The database key must be 64 hexadecimal characters (256 bits).');
  // A new database file is readable by its owner only; SQLite gives the WAL and
  // shared-memory files the same permissions.
  if (!options.readOnly && !existsSync(file)) closeSync(openSync(file, 'wx', 0o600));
  let opened: { db: Database.Database; objects: number };
  try {
    opened = openWithKey(file, key, options.readOnly ?? false);
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw key === null
        ? new StoreError('STORE_KEY_MISSING', `The station database ${file} is encrypted and no key was given. Nothing was changed.`)
        : new StoreError('STORE_KEY_WRONG', `The station database ${file} cannot be opened with this key (wrong key, or not a station database). Nothing was changed.`);
    }
    throw new StoreError('STORE_FILE_UNUSABLE', `The station database ${file} cannot be opened: ${(error as Error).message}`);
  }
  const { db, objects } = opened;
  // A new, empty file becomes a station database; anything else must already be one of
  // this format, and is checked before anything is written to it.
  if (objects === 0 && !options.readOnly && db.pragma('application_id', { simple: true }) === 0) {
    // Pages of 8 KB, fixed by the file's first write: a watchlist's initial load and the
    // index builds after it went some 10% faster than with 4 KB pages (fewer pages to
    // encrypt, authenticate and link), and a station's writes touch a few pages each.
    // Files made with 4 KB pages keep them; both read the same.
    db.pragma(`page_size = ${newFilePageSize}`);
    db.pragma(`application_id = ${applicationId}`);
    db.pragma(`user_version = ${storeFormat}`);
  }
  const format = db.pragma('user_version', { simple: true });
  const older = format === 3 || format === 4;
  const bringUpToDate = older && !options.readOnly;
  // A check of a backup (acceptOlderFormat) reads a file the app will bring up to date as
  // it is; so does any read-only open of format 4, which is format 5 without journals.
  const readableAsIs = format === storeFormat || (format === 4 && options.readOnly) || (older && options.acceptOlderFormat === true);
  if (db.pragma('application_id', { simple: true }) !== applicationId || (!readableAsIs && !bringUpToDate)) {
    db.close();
    const upgradable = older ? ' Open it once with the station app of this version, which brings it up to date.' : '';
    throw new StoreError('STORE_FILE_UNUSABLE', `${file} is not a station database of this version (store format ${String(format)}; this version reads format ${storeFormat}). Nothing was changed.${upgradable}`);
  }
  if (options.readOnly) return db;
  // WAL lets readers work while a write commits; FULL makes every commit reach the disk
  // before it is acknowledged, so nothing an officer saved is lost to a power cut.
  db.pragma('journal_mode = WAL');
  // Another connection to the same file (a second storage object, the backup command)
  // makes a writer wait its turn instead of failing at once.
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = FULL');
  // What is deleted or overwritten (a purged record, an earlier version of a document) is
  // zeroed, not left in the file's free space for anyone with the key to read. It costs a
  // write of the freed space, mostly within pages that are written anyway.
  db.pragma('secure_delete = ON');
  db.pragma('foreign_keys = ON');
  // Index pages of a large station stay in memory (64 MB), and the WAL is folded back into
  // the file in larger steps: random index inserts otherwise rewrite the same pages.
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 4000');
  // Fresh statistics let SQLite choose between indexes (every RxDB index starts with the
  // deleted flag, which without statistics looks as selective as any other column).
  db.pragma('analysis_limit = 1000');
  if (format === 3) migrateFromFormat3(db);
  if (older) db.pragma(`user_version = ${storeFormat}`);
  db.pragma('optimize = 0x10002');
  return db;
}

/**
 * Flushes the database's WAL file to the disk outside any commit. For writes that did not
 * wait for the disk (imports, filed journal bulks): the next commit at FULL would flush
 * their pages along with its own, and that commit is often an officer's save. Durability
 * does not depend on it; it only does that work while nobody waits. No WAL, nothing to do.
 */
export function syncWal(db: Database.Database): void {
  let fd: number;
  try {
    // Opened for writing: Windows flushes only a handle that may write.
    fd = openSync(`${db.name}-wal`, 'r+');
  } catch {
    return;
  }
  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
