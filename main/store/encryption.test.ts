import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getRxStorageSqlite } from './index';
import { databaseFileName } from './storage';
import { applyKey, type Keying } from './worker/open-database';
import { openInstance, stored, tempStoreDirectory, testKey, traveller } from './storage-test-support';

function filesOf(directory: string): Record<string, string> {
  return Object.fromEntries(readdirSync(directory).map((name) => [name, createHash('sha256').update(readFileSync(join(directory, name))).digest('hex')]));
}

async function seed(directory: string): Promise<void> {
  const instance = await openInstance(getRxStorageSqlite({ directory, key: testKey }));
  await instance.bulkWrite([{ document: stored(traveller({ id: 'seeded', surname: 'VUKOVIĆ-SPECIMEN', documentNumber: 'ZX9912345' })) }], 'seed');
  await instance.close();
}

describe('encryption at rest', () => {
  it('keeps names and document numbers out of the raw files', async () => {
    const directory = tempStoreDirectory();
    await seed(directory);
    for (const name of readdirSync(directory)) {
      const raw = readFileSync(join(directory, name));
      expect(raw.includes(Buffer.from('VUKOVI'))).toBe(false);
      expect(raw.includes(Buffer.from('ZX9912345'))).toBe(false);
      expect(raw.includes(Buffer.from('SQLite format 3'))).toBe(false);
    }
  });

  it('keeps the database files readable by their owner only', async () => {
    const directory = tempStoreDirectory();
    await seed(directory);
    for (const name of readdirSync(directory)) expect(statSync(join(directory, name)).mode & 0o077).toBe(0);
  });

  it('refuses a wrong key with a clear error and changes nothing', async () => {
    const directory = tempStoreDirectory();
    await seed(directory);
    const before = filesOf(directory);
    await expect(openInstance(getRxStorageSqlite({ directory, key: 'ff'.repeat(32) }))).rejects.toMatchObject({ code: 'STORE_KEY_WRONG' });
    expect(filesOf(directory)).toEqual(before);
  });

  it('refuses to open the database without a key, and changes nothing', async () => {
    const directory = tempStoreDirectory();
    await seed(directory);
    const before = filesOf(directory);
    await expect(openInstance(getRxStorageSqlite({ directory, key: null }))).rejects.toMatchObject({ code: 'STORE_KEY_MISSING' });
    expect(filesOf(directory)).toEqual(before);
  });

  it('opens again with the right key', async () => {
    const directory = tempStoreDirectory();
    await seed(directory);
    const instance = await openInstance(getRxStorageSqlite({ directory, key: testKey }));
    expect((await instance.findDocumentsById(['seeded'], false))[0]?.surname).toBe('VUKOVIĆ-SPECIMEN');
    await instance.close();
  });

  it('makes new files with AEGIS-256 and the raw key, and reads and writes files made with ChaCha20-Poly1305 and the key as a passphrase', async () => {
    const { default: Database } = await import('better-sqlite3-multiple-ciphers');
    /** Whether the file reads with the test key given this way. */
    const readsWith = (file: string, keying: Keying) => {
      const db = new Database(file, { readonly: true });
      try {
        applyKey(db, testKey, keying);
        return (db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() as number) > 0;
      } catch {
        return false;
      } finally {
        db.close();
      }
    };
    const fresh = tempStoreDirectory();
    await seed(fresh);
    const freshFile = join(fresh, databaseFileName('station'));
    expect([readsWith(freshFile, 'aegis-raw'), readsWith(freshFile, 'chacha20-passphrase')]).toEqual([true, false]);

    // A station file as versions before December 2026 made it: the same format, the other cipher.
    const older = tempStoreDirectory();
    const olderFile = join(older, databaseFileName('station'));
    const made = new Database(olderFile);
    applyKey(made, testKey, 'chacha20-passphrase');
    made.pragma('page_size = 8192');
    made.pragma(`application_id = ${0x4d495353}`);
    made.pragma('user_version = 5');
    made.close();
    await seed(older);
    const instance = await openInstance(getRxStorageSqlite({ directory: older, key: testKey }));
    expect((await instance.findDocumentsById(['seeded'], false))[0]?.surname).toBe('VUKOVIĆ-SPECIMEN');
    await instance.close();
    expect([readsWith(olderFile, 'aegis-raw'), readsWith(olderFile, 'chacha20-passphrase')]).toEqual([false, true]);
    // With a wrong key, neither cipher opens it.
    await expect(openInstance(getRxStorageSqlite({ directory: older, key: 'ff'.repeat(32) }))).rejects.toMatchObject({ code: 'STORE_KEY_WRONG' });
  });

  it('refuses a key that is not 256 bits of hex', async () => {
    await expect(openInstance(getRxStorageSqlite({ directory: tempStoreDirectory(), key: 'short' }))).rejects.toMatchObject({ code: 'STORE_KEY_INVALID' });
  });
});

describe('the store format', () => {
  it('refuses an SQLite file that is not a station database, and changes nothing', async () => {
    const directory = tempStoreDirectory();
    const { default: Database } = await import('better-sqlite3-multiple-ciphers');
    const foreign = new Database(join(directory, 'station.sqlite'));
    foreign.pragma(`hexkey='${testKey}'`);
    foreign.exec('CREATE TABLE other (x)');
    foreign.close();
    const before = filesOf(directory);
    await expect(openInstance(getRxStorageSqlite({ directory, key: testKey }))).rejects.toMatchObject({ code: 'STORE_FILE_UNUSABLE', message: expect.stringContaining('not a station database') });
    expect(filesOf(directory)).toEqual(before);
  });
});
