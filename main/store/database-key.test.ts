import { chmodSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileKeyVault, loadOrCreateDatabaseKey } from './database-key';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'mis-key-'));
}

describe('the database key', () => {
  it('is made on first run, 256 random bits, in a file only its owner can read', async () => {
    const dir = folder();
    const key = await loadOrCreateDatabaseKey(fileKeyVault(join(dir, 'store.key')), join(dir, 'station.sqlite'));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'store.key')).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateDatabaseKey(fileKeyVault(join(dir, 'store.key')), join(dir, 'station.sqlite'))).toBe(key);
  });

  it('is different on every station', async () => {
    const a = await loadOrCreateDatabaseKey(fileKeyVault(join(folder(), 'store.key')), '/nonexistent/a.sqlite');
    const b = await loadOrCreateDatabaseKey(fileKeyVault(join(folder(), 'store.key')), '/nonexistent/b.sqlite');
    expect(a).not.toBe(b);
  });

  it('is never remade for a database that exists without it', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'station.sqlite'), 'existing');
    await expect(loadOrCreateDatabaseKey(fileKeyVault(join(dir, 'store.key')), join(dir, 'station.sqlite'))).rejects.toThrow(/exists but its key .* is missing/);
    expect(existsSync(join(dir, 'store.key'))).toBe(false);
  });

  it('refuses a key file that other users can read', async () => {
    const dir = folder();
    const path = join(dir, 'store.key');
    writeFileSync(path, `${'ab'.repeat(32)}\n`, { mode: 0o644 });
    chmodSync(path, 0o644);
    await expect(fileKeyVault(path).read()).rejects.toThrow(/chmod 600/);
  });

  it('refuses a key file that does not hold a key', async () => {
    const dir = folder();
    const path = join(dir, 'store.key');
    writeFileSync(path, 'not a key', { mode: 0o600 });
    await expect(fileKeyVault(path).read()).rejects.toThrow(/does not hold a valid database key/);
  });
});
