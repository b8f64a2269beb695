import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { describeRepositoryContract, registration, write } from './repository.contract';
import type { SyncRepository } from './repository';
import { openSqliteRepository } from './sqlite-repository';

const folder = mkdtempSync(join(tmpdir(), 'mis-sqlite-repository-'));
let files = 0;
const newFile = (): string => join(folder, `sync-${++files}.sqlite`);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describeRepositoryContract('sqlite', () => openSqliteRepository(newFile()));

describe('sqlite repository file', () => {
  const opened: SyncRepository[] = [];
  const open = async (file: string): Promise<SyncRepository> => {
    const repository = await openSqliteRepository(file);
    opened.push(repository);
    return repository;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((repository) => repository.close()));
  });

  it('is created readable by its owner only, in WAL mode', async () => {
    const file = newFile();
    await (await open(file)).migrate();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const inspector = new Database(file, { readonly: true });
    try {
      expect(inspector.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      inspector.close();
    }
  });

  it('refuses an in-memory database', async () => {
    await expect(openSqliteRepository(':memory:')).rejects.toThrow(/needs a file/);
  });

  it('numbers writes from the file, so that two stores on one file (two processes) never repeat a sequence', async () => {
    const file = newFile();
    const first = await open(file);
    const second = await open(file);
    await first.migrate();
    expect(await second.migrate()).toEqual([]);
    // One after the other: two connections of one thread cannot wait for each other's lock.
    const sequences: number[] = [];
    for (let index = 0; index < 6; index++) {
      const [record] = await write(index % 2 === 0 ? first : second, [registration(`r${index}`, 'S1')]);
      sequences.push(record!.sequence);
    }
    expect(sequences).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await second.pull('registrations', { kind: 'all' }, 0, 100)).records).toHaveLength(6);
  });
});
