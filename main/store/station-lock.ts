import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { StoreError } from './errors';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process that holds the lock, or null when nobody (alive) does. */
export function stationLockHolder(lockFile: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(lockFile, 'utf8').trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return Number.isInteger(pid) && pid > 0 && isRunning(pid) ? pid : null;
}

/**
 * Marks the station store as in use by this process. A lock left by a process that is no
 * longer running (a crash, a power cut) is taken over; one held by a live process is not.
 */
export function acquireStationLock(lockFile: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const descriptor = openSync(lockFile, 'wx', 0o600);
      writeSync(descriptor, String(process.pid));
      closeSync(descriptor);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = stationLockHolder(lockFile);
      if (holder !== null) throw new StoreError('STORE_FILE_UNUSABLE', `The station store is in use by another MIS Station process (pid ${holder}).`);
      rmSync(lockFile, { force: true });
    }
  }
  throw new StoreError('STORE_FILE_UNUSABLE', `The station lock ${lockFile} could not be taken.`);
}
