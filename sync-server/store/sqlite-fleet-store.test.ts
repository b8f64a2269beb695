import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeFleetStoreContract } from './fleet-store.contract';
import { migrations, migrationsTable } from './migrations';
import type { SyncRepository } from './repository';
import { openSqliteRepository } from './sqlite-repository';

const newFile = (): string => join(mkdtempSync(join(tmpdir(), 'mis-fleet-')), 'sync.sqlite');

describeFleetStoreContract('sqlite', () => openSqliteRepository(newFile()));

describe('the SQLite fleet store', () => {
  const opened: SyncRepository[] = [];

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((repository) => repository.close()));
  });

  it('brings a store of version 3 to version 4, keeping its records', async () => {
    const file = newFile();
    const old = new Database(file);
    old.exec(migrationsTable.sqlite);
    for (const migration of migrations.slice(0, 3)) old.exec(migration.sqlite);
    old.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0), (2, 0), (3, 0)').run();
    old.prepare("INSERT INTO records VALUES ('stations', 'S1', NULL, 1, 7, 0, ?, 'central')").run(JSON.stringify({ id: 'S1', _deleted: false, name: 'One' }));
    old.close();

    const repository = await openSqliteRepository(file);
    opened.push(repository);
    expect(await repository.migrate()).toEqual([4]);
    expect(await repository.count('stations')).toBe(1);
    expect(await repository.fleet.releases()).toEqual([]);
    expect(await repository.fleet.stationReports()).toEqual([]);
  });
});
