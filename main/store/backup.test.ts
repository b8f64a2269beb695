import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileKeyVault, loadOrCreateDatabaseKey } from './database-key';
import { getRxStorageSqlite } from './index';
import { acquireStationLock } from './station-lock';
import { stationStoreFiles } from './station-files';
import { openInstance, stored, traveller } from './storage-test-support';

function storeCli(dataDir: string, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'main/store/store-cli.ts', ...args], { env: { ...process.env, MIS_DATA_DIR: dataDir }, encoding: 'utf8' });
}

async function stationWith(ids: string[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'mis-station-'));
  const files = stationStoreFiles(dataDir);
  const key = await loadOrCreateDatabaseKey(fileKeyVault(files.keyFile), files.databaseFile);
  const instance = await openInstance(getRxStorageSqlite({ directory: files.directory, key }), undefined, files.databaseName);
  await instance.bulkWrite(ids.map((id) => ({ document: stored(traveller({ id })) })), 'seed');
  return { dataDir, files, key, instance };
}

describe('backup and restore', () => {
  it('backs up while the station is open and writing, to an encrypted copy that restores', async () => {
    const { dataDir, files, key, instance } = await stationWith(['before-1', 'before-2']);
    const target = join(dataDir, 'backup.sqlite');
    const backup = storeCli(dataDir, 'backup', target);
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    expect(readFileSync(target).includes(Buffer.from('before-1'))).toBe(false);

    await instance.bulkWrite([{ document: stored(traveller({ id: 'after-backup' })) }], 'later');
    await instance.close();

    const restore = storeCli(dataDir, 'restore', target);
    expect(restore.status).toBe(0);
    const reopened = await openInstance(getRxStorageSqlite({ directory: files.directory, key }), undefined, files.databaseName);
    expect((await reopened.findDocumentsById(['before-1', 'before-2', 'after-backup'], false)).map((d) => d.id).sort()).toEqual(['before-1', 'before-2']);
    await reopened.close();
  });

  it('refuses to restore while the station runs', async () => {
    const { dataDir, files, instance } = await stationWith(['x']);
    const target = join(dataDir, 'backup.sqlite');
    expect(storeCli(dataDir, 'backup', target).status).toBe(0);
    const release = acquireStationLock(files.lockFile);
    try {
      const restore = storeCli(dataDir, 'restore', target);
      expect(restore.status).toBe(1);
      expect(restore.stderr).toContain('Stop it before restoring');
    } finally {
      release();
      await instance.close();
    }
  });

  it('refuses a damaged backup and leaves the station database alone', async () => {
    const { dataDir, files, instance } = await stationWith(['kept']);
    await instance.close();
    const before = readFileSync(files.databaseFile);
    const damaged = join(dataDir, 'damaged.sqlite');
    writeFileSync(damaged, Buffer.alloc(8192, 7));
    const restore = storeCli(dataDir, 'restore', damaged);
    expect(restore.status).toBe(1);
    expect(restore.stderr).toMatch(/cannot be opened|damaged/);
    expect(readFileSync(files.databaseFile).equals(before)).toBe(true);
  });

  it('says how to use it when the command is wrong', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mis-station-'));
    const result = storeCli(dataDir, 'explode');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: npm run store -- backup <file>');
    expect(existsSync(join(dataDir, 'store.key'))).toBe(false);
  });
});
