import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, existsSync, openSync } from 'node:fs';
import { StoreError } from '../errors';

const hexKey = /^[0-9a-f]{64}$/;

/** Marks a SQLite file as an MIS Station store ('MISS'). */
const applicationId = 0x4d495353;
/**
 * The layout of the tables this code writes. A file of another layout is refused with a
 * clear message instead of being misread; raise it with every incompatible change.
 */
const storeFormat = 3;

/**
 * Opens (or creates) a station database file, encrypted with a 256-bit key. A wrong or
 * missing key is found by reading before anything is written, so the file is not touched.
 */
export function openDatabase(file: string, key: string | null, options: { readOnly?: boolean } = {}): Database.Database {
  if (key !== null && !hexKey.test(key)) throw new StoreError('STORE_KEY_INVALID', 'The database key must be 64 hexadecimal characters (256 bits).');
  // A new database file is readable by its owner only; SQLite gives the WAL and
  // shared-memory files the same permissions.
  if (!options.readOnly && !existsSync(file)) closeSync(openSync(file, 'wx', 0o600));
  const db = new Database(file, { readonly: options.readOnly ?? false, fileMustExist: options.readOnly ?? false });
  let objects: number;
  try {
    // The default cipher of SQLite3 Multiple Ciphers: ChaCha20-Poly1305, which also detects tampering.
    if (key !== null) db.pragma(`hexkey='${key}'`);
    objects = db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() as number;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw key === null
        ? new StoreError('STORE_KEY_MISSING', `The station database ${file} is encrypted and no key was given. Nothing was changed.`)
        : new StoreError('STORE_KEY_WRONG', `The station database ${file} cannot be opened with this key (wrong key, or not a station database). Nothing was changed.`);
    }
    throw new StoreError('STORE_FILE_UNUSABLE', `The station database ${file} cannot be opened: ${(error as Error).message}`);
  }
  // A new, empty file becomes a station database; anything else must already be one of
  // this format, and is checked before anything is written to it.
  if (objects === 0 && !options.readOnly && db.pragma('application_id', { simple: true }) === 0) {
    db.pragma(`application_id = ${applicationId}`);
    db.pragma(`user_version = ${storeFormat}`);
  }
  const format = db.pragma('user_version', { simple: true });
  if (db.pragma('application_id', { simple: true }) !== applicationId || format !== storeFormat) {
    db.close();
    throw new StoreError('STORE_FILE_UNUSABLE', `${file} is not a station database of this version (store format ${String(format)}; this version reads format ${storeFormat}). Nothing was changed.`);
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
  db.pragma('optimize = 0x10002');
  return db;
}
