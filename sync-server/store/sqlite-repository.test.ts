import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrations, migrationsTable } from './migrations';
import { describeRepositoryContract, registration, write } from './repository.contract';
import type { SyncRepository } from './repository';
import { openSqliteRepository } from './sqlite-repository';
import { syntheticRegistration, syntheticSource } from '../../domain/records';
import { seedServer } from '../../test/support/sync-rig';
import { buildSyncServer } from '../app';
import { serverErrorBody } from '../errors';

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

  it('brings a store of version 1 to version 2, and finds the audit entries it already held', async () => {
    const file = newFile();
    const old = new Database(file);
    old.exec(migrationsTable.sqlite);
    old.exec(migrations[0]!.sqlite);
    old.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0)').run();
    const document = JSON.stringify({ id: 'a1', _deleted: false, stationId: 'S1', sequence: 1, receivedAt: 5 });
    old.prepare("INSERT INTO records VALUES ('audit', 'a1', 'S1', 1, 5, 0, ?, 'station:S1')").run(document);
    old.close();

    const repository = await open(file);
    expect(await repository.migrate()).toEqual(migrations.slice(1).map((migration) => migration.version));
    expect((await repository.auditTrailPage('S1', null, 10)).map((entry) => [entry.sequence, entry.id])).toEqual([[1, 'a1']]);
    expect(await repository.auditChainReports({})).toEqual([]);
  });

  it('brings a store of version 2 to version 3: finds the records it already held for retention, and numbers above them', async () => {
    const file = newFile();
    const old = new Database(file);
    old.exec(migrationsTable.sqlite);
    for (const migration of migrations.slice(0, 2)) old.exec(migration.sqlite);
    old.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0), (2, 0)').run();
    const document = JSON.stringify({ id: 'r1', _deleted: false, stationId: 'S1', arrivalAt: 5, receivedAt: 7 });
    old.prepare("INSERT INTO records VALUES ('registrations', 'r1', 'S1', 1, 7, 0, ?, 'station:S1')").run(document);
    old.close();

    const repository = await open(file);
    expect(await repository.migrate()).toEqual(migrations.slice(2).map((migration) => migration.version));
    expect((await repository.retentionCandidates('registrations', 6, null, 10)).map((record) => record.id)).toEqual(['r1']);
    expect(await repository.retentionPurges({})).toEqual([]);
    const [next] = await write(repository, [registration('r2', 'S1')]);
    expect(next!.sequence).toBe(2);
  });

  it('zeroes what a purge removed, so that the unencrypted file no longer holds it', async () => {
    const file = newFile();
    const repository = await open(file);
    await repository.migrate();
    await write(repository, [registration('r1', 'S1', { surname: 'Zzpurgedname' }), registration('r2', 'S1', { surname: 'Zzkeptname' })]);
    await repository.purge({ runId: 'run-1', at: 1, cutoffs: { registrations: 1, crossings: 1, biometrics: 1 } }, [{ collection: 'registrations', id: 'r1', sequence: 1 }]);
    await repository.close();
    const bytes = readFileSync(file);
    expect(bytes.includes('Zzkeptname')).toBe(true);
    expect(bytes.includes('Zzpurgedname')).toBe(false);
  });

  it('names an audit row whose text is no longer JSON instead of failing to read the trail', async () => {
    const file = newFile();
    const repository = await open(file);
    await repository.migrate();
    await write(repository, [1, 2, 3].map((sequence) => ({ collection: 'audit' as const, id: `a${sequence}`, stationId: 'S1', document: { id: `a${sequence}`, _deleted: false, stationId: 'S1', sequence, receivedAt: 0 }, writtenBy: 'station:S1' })));
    const editor = new Database(file);
    editor.prepare("UPDATE records SET document = substr(document, 2) WHERE id = 'a2'").run();
    editor.close();
    const page = await repository.auditTrailPage('S1', null, 10);
    expect(page.map((entry) => [entry.id, entry.document === null])).toEqual([
      ['a2', true],
      ['a1', false],
      ['a3', false],
    ]);
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

describe('sqlite store held by another process', () => {
  it('answers a push 503 DATABASE_UNAVAILABLE while another process holds the write lock past busy_timeout, writing nothing, and takes it once the lock is gone', async () => {
    const file = newFile();
    const repository = await openSqliteRepository(file);
    await repository.migrate();
    const app = await buildSyncServer({ repository, logger: false });
    try {
      const [station] = await seedServer(repository, ['BIH-K-01'], { alerts: 0 });
      const source = syntheticSource(11, { stationId: station!.stationId, officerIds: station!.officers.map((officer) => officer.id) });
      const rows = [{ newDocumentState: { ...syntheticRegistration(source), _deleted: false } }];
      const push = () =>
        app.inject({ method: 'POST', url: '/sync/registrations/push', headers: { authorization: `Bearer ${station!.token}` }, payload: { rows } });
      // An import run by IT staff beside the server, say: it holds the write lock.
      const other = new Database(file);
      other.pragma('busy_timeout = 0');
      other.exec('BEGIN IMMEDIATE');
      try {
        const refused = await push();
        expect(refused.statusCode).toBe(503);
        expect(serverErrorBody.parse(refused.json())).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      expect(await repository.count('registrations')).toBe(0);
      const taken = await push();
      expect(taken.statusCode).toBe(200);
      expect(await repository.count('registrations')).toBe(1);
    } finally {
      await app.close();
      await repository.close();
    }
  }, 30_000);
});
