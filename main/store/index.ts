import { SqliteStorage, type SqliteStorageOptions } from './storage';

export type { SqliteStorageOptions } from './storage';
export type { SqliteStorageInstance } from './instance';
export { StoreError, type StoreErrorCode } from './errors';

/**
 * The station's RxDB storage: SQLite (encrypted, WAL, one transaction per bulk write) in a
 * worker thread, with the schema's indexes as real SQL indexes.
 */
export function getRxStorageSqlite(options: SqliteStorageOptions): SqliteStorage {
  return new SqliteStorage(options);
}
