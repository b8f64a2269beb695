import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresForThisFile } from '../../test/support/postgres-per-file';
import { describeFleetStoreContract } from './fleet-store.contract';
import { openPostgresRepository } from './postgres-repository';

// One server for the file; every test gets a database of its own.
const postgres = postgresForThisFile('fleet');

describeFleetStoreContract('postgres', async () => openPostgresRepository(await postgres.database(), { poolSize: 2 }));

describe('postgres fleet store, when its connection dies in a write', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it("reports the write's own failure (not the ROLLBACK's), and the pool serves the next request on a new connection", async () => {
    const url = await postgres.database();
    const repository = await openPostgresRepository(url, { poolSize: 1 });
    closers.push(() => repository.close());
    await repository.migrate();
    const key = { channel: 'latest', platform: 'linux', arch: 'x64', version: '1.2.0' } as const;
    const file = { name: 'a.deb', sha512: 'A==', size: 10 };
    await repository.fleet.addReleaseFile(key, file, { stagingPercentage: 100, at: 1_000 });

    // Another administrator's session holds the file's row: the second add waits for it...
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    closers.push(() => other.end());
    await other.query('BEGIN');
    await other.query('SELECT 1 FROM release_files WHERE name = $1 FOR UPDATE', [file.name]);
    const adding = repository.fleet.addReleaseFile(key, file, { stagingPercentage: 100, at: 2_000 }).then(
      () => null,
      (error: unknown) => error as Error,
    );
    let waiting: number | undefined;
    for (let attempt = 0; attempt < 200 && waiting === undefined; attempt++) {
      const rows = (await other.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'SELECT * FROM release_files%'")).rows;
      waiting = rows[0]?.pid;
      if (waiting === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(waiting).toBeTypeOf('number');
    // ...and its connection is cut from the server's side.
    await other.query('SELECT pg_terminate_backend($1)', [waiting]);
    const failure = await adding;
    // PostgreSQL's own word for it (57P01, admin_shutdown), not the dead connection's to the ROLLBACK.
    expect(failure).toMatchObject({ code: '57P01', message: expect.stringMatching(/terminating connection/) });
    await other.query('ROLLBACK');

    expect((await repository.fleet.releases()).map((release) => release.files.map((each) => each.name))).toEqual([['a.deb']]);
  });
});
