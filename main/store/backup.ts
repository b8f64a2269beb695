import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StoreError } from './errors';
import { openDatabase } from './worker/open-database';
import { stationLockHolder } from './station-lock';

/**
 * Online backup for IT staff: a consistent copy of the station database, encrypted with
 * the same key, taken while the station keeps working (SQLite's VACUUM INTO reads one
 * snapshot; the app's writes go on in the WAL meanwhile).
 */
export function backupStationDatabase(databaseFile: string, key: string, target: string): { bytes: number } {
  if (!existsSync(databaseFile)) throw new StoreError('STORE_FILE_UNUSABLE', `There is no station database at ${databaseFile}.`);
  if (existsSync(target)) throw new StoreError('STORE_FILE_UNUSABLE', `${target} exists already; choose a new file name for the backup.`);
  const db = openDatabase(databaseFile, key, { readOnly: true });
  try {
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
  chmodSync(target, 0o600);
  const check = verifyBackup(target, key);
  return { bytes: check.bytes };
}

/**
 * Opens a backup with the key and runs SQLite's integrity check on it. A backup taken by
 * an older version (an older store format) is accepted: the app brings it up to date
 * when it opens it after the restore.
 */
export function verifyBackup(file: string, key: string): { bytes: number } {
  const db = openDatabase(file, key, { readOnly: true, acceptOlderFormat: true });
  try {
    const result = (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
    if (result.join() !== 'ok') throw new StoreError('STORE_FILE_UNUSABLE', `The backup ${file} is damaged: ${result.slice(0, 3).join('; ')}`);
    const pages = db.pragma('page_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    return { bytes: pages * pageSize };
  } finally {
    db.close();
  }
}

/**
 * Restores a backup over the station database. Refused while the station app runs. The
 * backup is checked first, copied beside the database, flushed to disk and then renamed
 * over it, so that a failure half-way leaves the old database as it was.
 */
export function restoreStationDatabase(databaseFile: string, key: string, backup: string, lockFile: string): void {
  const holder = stationLockHolder(lockFile);
  if (holder !== null) throw new StoreError('STORE_FILE_UNUSABLE', `MIS Station is running (pid ${holder}). Stop it before restoring a backup.`);
  verifyBackup(backup, key);
  const staging = join(dirname(databaseFile), `.restore-${process.pid}.sqlite`);
  copyFileSync(backup, staging);
  const descriptor = openSync(staging, 'r+');
  fsyncSync(descriptor);
  closeSync(descriptor);
  // The WAL and shared-memory files belong to the database being replaced.
  for (const suffix of ['-wal', '-shm']) rmSync(databaseFile + suffix, { force: true });
  renameSync(staging, databaseFile);
}
